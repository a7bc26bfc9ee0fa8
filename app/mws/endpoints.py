"""Marketplaces and their MWS endpoints (the data: app/model/mws/marketplaces.json), which endpoint a request
goes to, and which endpoints a request may go to at all.

Credentials go only where they belong: Amazon's own https hosts, the in-process sandbox when one is
mounted, and the origins of ENDPOINT_ALLOWLIST. `endpoint_allowed` is the rule (reusable by any
backend with its own Amazon hosts); `endpoint_problems` is the pre-run check of a cfg (422, nothing
sent), and the MWS client applies the rule again before it builds any request.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, NamedTuple
from urllib.parse import urlsplit

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


MWS_HOSTS: frozenset[str] = frozenset(urlsplit(m.endpoint).hostname or "" for m in _TABLE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
ENDPOINT_MESSAGE = ("must be one of Amazon's https MWS endpoints, the mounted sandbox or an origin of "
                    "ENDPOINT_ALLOWLIST; nothing was sent")


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL without userinfo; None if it is anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in _DEFAULT_PORTS or not host or "@" in parts.netloc or any(c.isspace() for c in url.strip()):
        return None
    return scheme, host, port if port is not None else _DEFAULT_PORTS[scheme]


def endpoint_allowed(url: str, settings: Any, *, sandbox_mounted: bool, amazon_hosts: Iterable[str]) -> bool:
    """May credentials be sent to `url`? Amazon's hosts over https on 443, the sandbox's origin when
    mounted, or an ENDPOINT_ALLOWLIST origin (`scheme://host[:port]`, port `*` for any)."""
    from app.runtime.http import SANDBOX_BASE
    from app.settings import parse_origin

    origin = _origin(url)
    if origin is None:
        return False
    scheme, host, port = origin
    if scheme == "https" and port == 443 and host in amazon_hosts:
        return True
    if sandbox_mounted and origin == _origin(SANDBOX_BASE):
        return True
    for prefix in getattr(settings, "endpoint_allowlist", ()) or ():
        allowed = parse_origin(prefix)
        if allowed is None:
            continue
        a_scheme, a_host, a_port = allowed
        if (a_scheme, a_host.strip("[]")) == (scheme, host) and (
                a_port == "*" or int(a_port or _DEFAULT_PORTS[a_scheme]) == port):
            return True
    return False


def endpoint_problems(cfg: Mapping[str, Any], settings: Any, *, sandbox_mounted: bool) -> list[Any]:
    """The pre-run check of a cfg's endpointUrl (empty: the default endpoint, checked at start-up)."""
    from app.runtime.errors import InputProblem

    value = cfg.get("endpointUrl")
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if isinstance(value, str) and endpoint_allowed(value, settings, sandbox_mounted=sandbox_mounted,
                                                   amazon_hosts=MWS_HOSTS):
        return []
    return [InputProblem("cfg.endpointUrl", ENDPOINT_MESSAGE)]


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
