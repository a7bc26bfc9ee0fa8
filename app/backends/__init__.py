"""The one place that decides which backend a cfg runs on (sp-api.md §1), and the component's hooks.

A cfg with a non-empty `refreshToken` is SP-API's; any other is MWS's. Steps ask `orders_for(ctx)` /
`feeds_for(ctx)` for the adapter of their cfg (app.backends.ports) and never look at the backend
themselves. `AmazonHooks` is what the runtime calls for the component as a whole: the credentials
check before a step runs, `/verify-credentials` and the credential fields' choices.

A new backend plugs in here: its adapters (one per port), its credentials check and its verifier.
"""
from __future__ import annotations

from typing import Any, Mapping

from app.backends.ports import FeedFormat, FeedsBackend, OrdersBackend, ReportsBackend
from app.runtime.errors import InputProblem, StepError
from app.settings import Settings

MWS, SPAPI = "mws", "spapi"
MWS_REQUIRED = ("sellerId", "accessKeyId", "secretAccessKey", "marketplaceId")
SPAPI_REQUIRED = ("lwaClientId", "lwaClientSecret", "refreshToken", "sellerId", "marketplaceId")


def _given(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def backend_name(cfg: Mapping[str, Any]) -> str:
    token = cfg.get("refreshToken")
    return SPAPI if isinstance(token, str) and token.strip() else MWS


class BackendUnavailable(StepError):
    code = "BackendUnavailable"
    type = "Sender"


def _refuse_spapi() -> None:
    raise BackendUnavailable("SP-API credentials (refreshToken) are not supported by this step yet")


def orders_for(ctx: Any) -> OrdersBackend:
    if backend_name(ctx.cfg) == SPAPI:
        from app.spapi.client import client_for as spapi_client
        from app.spapi.orders import SpapiOrders

        return SpapiOrders(spapi_client(ctx), ctx.cfg)
    from app.mws.client import client_for
    from app.mws.orders import MWSOrders

    return MWSOrders(client_for(ctx))


def feeds_for(ctx: Any) -> FeedsBackend:
    if backend_name(ctx.cfg) == SPAPI:
        from app.spapi.client import client_for as spapi_client
        from app.spapi.feeds import SpapiFeeds

        return SpapiFeeds(spapi_client(ctx), ctx.cfg)
    from app.mws.client import client_for
    from app.mws.feeds import MWSFeeds

    return MWSFeeds(client_for(ctx))


def reports_for(ctx: Any) -> ReportsBackend:
    if backend_name(ctx.cfg) == SPAPI:
        from app.spapi.client import client_for as spapi_client
        from app.spapi.reports import SpapiReports

        return SpapiReports(spapi_client(ctx), ctx.cfg)
    from app.mws.client import client_for
    from app.mws.reports import MWSReports

    return MWSReports(client_for(ctx))


def report_name(key: str, cfg: Mapping[str, Any]) -> str:
    """The backend's own name of a report type of app/model/reports.json."""
    from app.model import load

    return load("common", "reports")["types"][key][backend_name(cfg)]


def order_lookup_capacity(cfg: Mapping[str, Any], settings: Settings) -> int:
    """How many order ids one execution of getOrder can look up for this cfg within STEP_TIMEOUT."""
    from app.mws.orders import lookup_capacity

    if backend_name(cfg) == SPAPI:
        from app.model import load

        return lookup_capacity(settings, group="getOrder", batch=1,
                               built_in=load("spapi", "usage_plans")["getOrder"])
    return lookup_capacity(settings)


def feed_format(cfg: Mapping[str, Any]) -> FeedFormat:
    """How feed documents are built for this cfg (no client: the 422 check builds them too)."""
    if backend_name(cfg) == SPAPI:
        from app.spapi.feeds import SpapiFeedFormat

        return SpapiFeedFormat()
    from app.mws.feeds import MWSFeedFormat

    return MWSFeedFormat()


class AmazonHooks:
    """The component hooks of app.runtime.protocol, for MWS and SP-API credentials alike."""

    def check_cfg(self, cfg: Mapping[str, Any], settings: Settings, *, sandbox_mounted: bool) -> list[InputProblem]:
        """The fields the cfg's backend requires (sp-api.md §1), each a 422 at cfg.<field>, and the
        endpoints it names: only Amazon's, the mounted sandbox and ENDPOINT_ALLOWLIST (nothing sent)."""
        spapi = backend_name(cfg) == SPAPI
        required = SPAPI_REQUIRED if spapi else MWS_REQUIRED
        problems = [InputProblem(f"cfg.{key}", "is required") for key in required if not _given(cfg.get(key))]
        if spapi:
            from app.spapi.endpoints import endpoint_problems as spapi_endpoints

            return problems + spapi_endpoints(cfg, settings, sandbox_mounted=sandbox_mounted)
        from app.mws.endpoints import endpoint_problems

        return problems + endpoint_problems(cfg, settings, sandbox_mounted=sandbox_mounted)

    async def verify_credentials(self, cfg: Mapping[str, Any], services: Any) -> tuple[bool, str | None]:
        if backend_name(cfg) == SPAPI:
            from app.spapi.sellers import verify_credentials as verify_spapi

            return await verify_spapi(cfg, services)
        from app.mws.sellers import verify_credentials

        return await verify_credentials(cfg, services)

    def variant(self, cfg: Mapping[str, Any]) -> str | None:
        """SP-API messages differ where the APIs do (products, outputs): `schemas/spapi/...`."""
        return SPAPI if backend_name(cfg) == SPAPI else None

    def select_model(self, field: str, cfg: Mapping[str, Any]) -> dict[str, str] | None:
        if field in ("marketplaceId", "marketplaces"):  # the field, or its model's name
            from app.mws.endpoints import MARKETPLACES

            return dict(MARKETPLACES)
        return None
