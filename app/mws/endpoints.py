"""Marketplaces and their MWS endpoints (the data: app/model/mws/marketplaces.json), and which endpoint a
request goes to."""
from __future__ import annotations

from typing import NamedTuple

from app.model import load
from app.mws.errors import RequestError


class Marketplace(NamedTuple):
    id: str
    country: str
    name: str
    region: str
    endpoint: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.id})"


_TABLE = [Marketplace(**{f: row[f] for f in Marketplace._fields})
          for row in load("mws", "marketplaces")["marketplaces"]]

MARKETPLACE_INFO: dict[str, Marketplace] = {m.id: m for m in _TABLE}
MARKETPLACES: dict[str, str] = {m.id: m.label for m in _TABLE}


def endpoint_for(marketplace_id: str, endpoint_url: str | None = None, default: str | None = None) -> str:
    """The base URL requests go to, without a trailing slash; section paths are appended to it.

    Precedence: the credentials' endpointUrl, then the service default (MWS_ENDPOINT, or the
    sandbox when the service runs with one), then the marketplace's own endpoint.
    """
    for candidate in (endpoint_url, default):
        if candidate and candidate.strip():
            return candidate.strip().rstrip("/")
    info = MARKETPLACE_INFO.get((marketplace_id or "").strip())
    if info is None:
        raise RequestError(
            f"Unknown marketplaceId {marketplace_id!r}: no MWS endpoint is known for it; "
            "use one of the documented marketplaces or give an endpointUrl",
            code="InvalidParameterValue",
        )
    return info.endpoint


def url_for(base: str, path: str) -> str:
    """`path` (e.g. /Orders/2013-09-01) appended to an endpoint that may itself have a path."""
    return base.rstrip("/") + "/" + path.lstrip("/")
