"""The SP-API sandbox: LWA, Sellers v1, Orders v2026-01-01 and Feeds 2021-06-30 over the MWS sandbox's state.

Layout (moto-shaped, like the MWS sandbox beside it): core.py (`SpApi`, built by `Sandbox`),
app.py (the API's ASGI app: routing, faults, auth, usage plans), lwa.py (LWA token endpoint and
access tokens), usage.py (usage plans from app/model/spapi/usage_plans.json), params.py (query,
dates, tokens), errors.py (`{"errors": [...]}`), call.py (the handlers' contract), sellers.py,
orders.py and orders_shape.py (the v2026 Order), feeds.py (handlers), feeds_store.py (lifecycle),
documents.py (pre-signed document URLs, S3-style), listings.py and listings_attributes.py
(JSON_LISTINGS_FEED), seams.py (the one place that imports the MWS sandbox and the shared state).
Never imports app.mws, app.spapi, app.feeds, app.actions or app.triggers: it is what clients are
tested against.
"""
from .core import SpApi
from .lwa import LWA_DEMO

__all__ = ["LWA_DEMO", "SpApi"]
