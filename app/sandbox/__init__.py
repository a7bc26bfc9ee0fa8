"""A faithful local Amazon MWS simulator (Orders, Sellers, Feeds, Reports), in-process or as a server.

Layout (after moto):
- state/: each seller's orders and catalog as plain, backend-neutral data, and their seeding;
- mws/: the MWS backend, one subpackage per API section (orders/, sellers/, feeds/, reports/, each with a
  backend model and handlers), with its app, Signature V2 check, throttle, NextTokens and one
  catalogue of errors; it reads the shared wire model (app/model/mws) as data;
- faults.py and admin.py (the /sandbox/admin routes: faults, state), transport.py (the in-process
  httpx transport), core.py (`Sandbox`), __main__.py (`python -m app.sandbox`).
Never imports app.mws, app.feeds, app.actions, app.triggers or app.spapi: it is the thing the client
is tested against.
"""
from .core import DEMO, Sandbox

__all__ = ["DEMO", "Sandbox"]
