"""Marketplaces and their MWS endpoints (mws-api.md §2), and which endpoint a request goes to."""
from __future__ import annotations

from typing import NamedTuple

from app.mws.errors import RequestError


class Marketplace(NamedTuple):
    id: str
    country: str
    endpoint: str
    region: str

    @property
    def label(self) -> str:
        return f"{COUNTRY_NAMES[self.country]} ({self.id})"


COUNTRY_NAMES = {
    "BR": "Brazil", "CA": "Canada", "MX": "Mexico", "US": "United States", "AE": "United Arab Emirates",
    "DE": "Germany", "EG": "Egypt", "ES": "Spain", "FR": "France", "BE": "Belgium", "GB": "United Kingdom",
    "IN": "India", "IT": "Italy", "NL": "Netherlands", "PL": "Poland", "SA": "Saudi Arabia", "SE": "Sweden",
    "TR": "Turkey", "SG": "Singapore", "AU": "Australia", "JP": "Japan",
}

_NA, _EU = "https://mws.amazonservices.com", "https://mws-eu.amazonservices.com"

_TABLE = [
    Marketplace("A2Q3Y263D00KWC", "BR", _NA, "NA"),
    Marketplace("A2EUQ1WTGCTBG2", "CA", "https://mws.amazonservices.ca", "NA"),
    Marketplace("A1AM78C64UM0Y8", "MX", "https://mws.amazonservices.com.mx", "NA"),
    Marketplace("ATVPDKIKX0DER", "US", _NA, "NA"),
    Marketplace("A2VIGQ35RCS4UG", "AE", "https://mws.amazonservices.ae", "EU"),
    Marketplace("A1PA6795UKMFR9", "DE", _EU, "EU"),
    Marketplace("ARBP9OOSHTCHU", "EG", _EU, "EU"),
    Marketplace("A1RKKUPIHCS9HS", "ES", _EU, "EU"),
    Marketplace("A13V1IB3VIYZZH", "FR", _EU, "EU"),
    Marketplace("AMEN7PMS3EDWL", "BE", _EU, "EU"),
    Marketplace("A1F83G8C2ARO7P", "GB", _EU, "EU"),
    Marketplace("A21TJRUUN4KGV", "IN", "https://mws.amazonservices.in", "EU"),
    Marketplace("APJ6JRA9NG5V4", "IT", _EU, "EU"),
    Marketplace("A1805IZSGTT6HS", "NL", _EU, "EU"),
    Marketplace("A1C3SOZRARQ6R3", "PL", _EU, "EU"),
    Marketplace("A17E79C6D8DWNP", "SA", _EU, "EU"),
    Marketplace("A2NODRKZP88ZB9", "SE", _EU, "EU"),
    Marketplace("A33AVAJ2PDY3EV", "TR", _EU, "EU"),
    Marketplace("A19VAU5U5O7RUS", "SG", "https://mws-fe.amazonservices.com", "FE"),
    Marketplace("A39IBJ37TRP1C6", "AU", "https://mws.amazonservices.com.au", "FE"),
    Marketplace("A1VC38T7YXB528", "JP", "https://mws.amazonservices.jp", "FE"),
]

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
