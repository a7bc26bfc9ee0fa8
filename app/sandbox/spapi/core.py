"""`SpApi`: the SP-API side of one `Sandbox` — LWA, the API, documents — over the sandbox's state.

    sb = Sandbox(clock=VirtualClock())
    sb.spapi.api_app        # /sandbox/sp-api   (also sb.spapi_app)
    sb.spapi.lwa_app        # /sandbox/lwa      (POST /token)
    sb.spapi.documents_app  # /sandbox/documents (pre-signed upload and download URLs)

The orders, catalog, marketplaces, clock, time_scale, faults and slow_seconds are the Sandbox's, so
an order the MWS side generates is the one searchOrders finds, and a price a JSON listings feed sets
is the one the MWS side would report. `route(path)` finds the app for a path under those prefixes,
for the in-process transport, which serves them as if mounted there.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping

from .app import FAULT_KINDS, OPERATIONS, SpApiApp
from .documents import PREFIX as DOCUMENTS_PREFIX
from .documents import DocumentStore, documents_app
from .feeds_store import SpFeeds
from .lwa import Lwa, lwa_app
from .params import Tokens
from .seams import seller_marketplaces
from .usage import UsagePlans

if TYPE_CHECKING:
    from .seams import Sandbox

API_PREFIX = "/sandbox/sp-api"
LWA_PREFIX = "/sandbox/lwa"


class SpApi:
    def __init__(self, sandbox: "Sandbox", quotas: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.sandbox = sandbox
        secret = os.urandom(16)
        self.tokens = Tokens(secret)
        self.lwa = Lwa(sandbox)
        self.usage = UsagePlans(quotas, sandbox.time_scale)
        self.documents = DocumentStore(sandbox.seed, secret)
        self.report_documents: dict[str, str] = {}  # reportId -> its (gzip) reportDocumentId, made once
        self.feeds = SpFeeds(sandbox, self.documents)
        sandbox.faults.allow(OPERATIONS, FAULT_KINDS)
        self.api_app = SpApiApp(self)
        self.lwa_app = lwa_app(self.lwa)
        self.documents_app = documents_app(self.documents, sandbox.now_ms)
        self.mounts = {API_PREFIX: self.api_app, LWA_PREFIX: self.lwa_app, DOCUMENTS_PREFIX: self.documents_app}

    def marketplaces(self, seller_id: str) -> tuple[str, ...]:
        return seller_marketplaces(self.sandbox, seller_id)

    def route(self, path: str) -> tuple[str, Any] | None:
        """(prefix, ASGI app) serving `path`, or None when it is not an SP-API sandbox path."""
        for prefix, app in self.mounts.items():
            if path == prefix or path.startswith(prefix + "/"):
                return prefix, app
        return None

    def state(self, now_ms: int) -> dict[str, Any]:
        return {"feeds": self.feeds.summaries(), "usage": self.usage.levels(now_ms / 1000),
                "lwaClients": sorted(self.lwa.clients)}
