"""A faithful local MWS simulator (Orders, Sellers, Feeds), in-process or as a server.

Layout (after moto): models.py (state), seed.py (deterministic data and the order generator),
responses_orders.py / responses_sellers.py / responses_feeds.py (handlers per section, dispatching
on Action), feeds_models.py (feed lifecycle), feeds_xml.py (parse and XSD), feeds_processing.py
(apply feeds), feeds_report.py (processing reports),
sections.py (the section registry), exceptions.py (ErrorResponse XML), auth.py (its own Signature V2
check), throttle.py, paging.py (NextTokens), faults.py, app.py / admin.py (the ASGI apps),
transport.py (the in-process httpx transport), core.py (`Sandbox`), __main__.py (`python -m app.sandbox`).
Never imports app.mws, app.feeds, app.actions or app.triggers: it is the thing the client is tested against.
"""
from .core import DEMO, Sandbox

__all__ = ["DEMO", "Sandbox"]
