"""Pacing shared by both backends: token buckets (buckets), the pacer (pacer), and where the buckets
live (store: memory, or Redis shared by replicas)."""
