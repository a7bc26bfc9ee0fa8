"""Machinery several steps share, written once for both backends: a feed's life (feeds.py) and the
product actions' choices, schemas and checks (products.py)."""
