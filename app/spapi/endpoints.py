"""SP-API and LWA endpoints: the API host by the marketplace's region (data: app/model/spapi/regions.json),
the LWA token endpoint, the overrides (cfg endpointUrl / lwaEndpointUrl, SPAPI_ENDPOINT / LWA_ENDPOINT,
the mounted sandbox), and which of them a request may go to at all (the rule of app.mws.endpoints)."""
from __future__ import annotations

from typing import Any, Mapping

from app.model import load
from app.mws.endpoints import ENDPOINT_MESSAGE, endpoint_allowed
from app.runtime.errors import InputProblem

_REGIONS = load("spapi", "regions")
API_HOSTS = frozenset(url.split("://", 1)[1] for url in _REGIONS["endpoints"].values())
LWA_HOSTS = frozenset({"api.amazon.com"})
DEFAULT_LWA = "https://api.amazon.com/auth/o2/token"
SANDBOX_API_PATH = "/sandbox/sp-api"
SANDBOX_LWA_PATH = "/sandbox/lwa/token"


class UnknownMarketplace(ValueError):
    pass


def region_endpoint(marketplace_id: str) -> str:
    region = _REGIONS["marketplaces"].get((marketplace_id or "").strip())
    if region is None:
        raise UnknownMarketplace(marketplace_id)
    return _REGIONS["endpoints"][region]


def api_endpoint(cfg: Mapping[str, Any], settings: Any, sandbox_base: str | None) -> str:
    """cfg endpointUrl, else SPAPI_ENDPOINT, else the mounted sandbox, else the marketplace's region."""
    for candidate in (cfg.get("endpointUrl"), getattr(settings, "spapi_endpoint", None),
                      sandbox_base + SANDBOX_API_PATH if sandbox_base else None):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip().rstrip("/")
    return region_endpoint(str(cfg.get("marketplaceId") or ""))


def lwa_endpoint(cfg: Mapping[str, Any], settings: Any, sandbox_base: str | None) -> str:
    """cfg lwaEndpointUrl, else LWA_ENDPOINT, else the mounted sandbox, else Amazon's."""
    for candidate in (cfg.get("lwaEndpointUrl"), getattr(settings, "lwa_endpoint", None),
                      sandbox_base + SANDBOX_LWA_PATH if sandbox_base else None):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return DEFAULT_LWA


def endpoint_problems(cfg: Mapping[str, Any], settings: Any, *, sandbox_mounted: bool) -> list[InputProblem]:
    """The pre-run check of an SP-API cfg's endpoints: 422 at the field, nothing sent."""
    problems = []
    for field, hosts in (("endpointUrl", API_HOSTS), ("lwaEndpointUrl", LWA_HOSTS)):
        value = cfg.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not (isinstance(value, str)
                and endpoint_allowed(value, settings, sandbox_mounted=sandbox_mounted, amazon_hosts=hosts)):
            problems.append(InputProblem(f"cfg.{field}", ENDPOINT_MESSAGE))
    return problems
