"""The orders steps on MWS: ListOrders windows, GetOrder batches, ListOrderItems pages
(the `OrdersBackend` of app.backends.ports, in MWS's words)."""
from __future__ import annotations

import re
from typing import Any, AsyncIterator

from app.backends.ports import OrdersPage
from app.dates import DateFormatError, normalize
from app.mws.client import MWSClient
from app.mws.errors import NextTokenCorrupted, RequestError
from app.mws.operations import throttle_groups
from app.pacing.buckets import Quota
from app.runtime.errors import StepError
from app.settings import Settings

# Amazon refuses one of these without the other.
_PAIRED = ("Unshipped", "PartiallyShipped")
# Amazon's answers to a LastUpdatedAfter later than its now − 2 minutes, in both wordings seen:
# "The LastUpdatedAfter date is after the LastUpdatedBefore date" and
# "LastUpdatedAfter date [...] cannot be after LastUpdatedBefore date [...]".
NOT_OPEN_YET = re.compile(r"LastUpdatedAfter date .*(is|cannot be) after .*LastUpdatedBefore")


def statuses(cfg: dict[str, Any]) -> list[str]:
    chosen = list(dict.fromkeys(cfg.get("orderStatuses") or []))
    if any(s in chosen for s in _PAIRED):
        chosen += [s for s in _PAIRED if s not in chosen]
    return chosen


def list_orders_params(cfg: dict[str, Any], start: str, end: str | None) -> dict[str, str]:
    params = {
        "MarketplaceId.Id.1": cfg["marketplaceId"],
        "LastUpdatedAfter": start,
        "MaxResultsPerPage": str(int(cfg.get("maxResultsPerPage") or 100)),
    }
    if end:
        params["LastUpdatedBefore"] = end
    for n, status in enumerate(statuses(cfg), start=1):
        params[f"OrderStatus.Status.{n}"] = status
    return params


BATCH = 50  # GetOrder takes 50 AmazonOrderId.Id.n


def lookup_capacity(settings: Settings, *, group: str = "GetOrder", batch: int = BATCH,
                    built_in: dict[str, float] | None = None) -> int:
    """How many ids one execution can look up within STEP_TIMEOUT at a lookup's quota: the burst,
    then one call per paced restore interval (GetOrder, 50 ids a call: about 750 at the defaults;
    SP-API's getOrder, one id a call: about 300)."""
    raw = settings.mws_quotas.get(group) or built_in or throttle_groups()[group]
    quota = Quota.from_dict(raw)
    calls = int(quota.max) + int(settings.step_timeout_ms / 1000.0 / quota.paced_restore_seconds)
    return max(1, calls) * batch


class MWSOrders:
    batch_size = BATCH

    def __init__(self, client: MWSClient) -> None:
        self.client = client

    def earliest_start(self, now: float) -> str | None:
        return None  # ListOrders has no horizon

    async def window_pages(self, cfg: dict[str, Any], start: str, end: str | None,
                           next_token: str | None) -> AsyncIterator[OrdersPage]:
        params = list_orders_params(cfg, start, end)
        async for page in self.client.pages("ListOrders", params, next_token=next_token):
            yield OrdersPage(page.data.get("orders") or [], page.next_token, page.data.get("lastUpdatedBefore"))

    def version(self, order: dict[str, Any]) -> str | None:
        try:
            return f"{order['amazonOrderId']}@{normalize(order['lastUpdateDate'])}"
        except (KeyError, TypeError, DateFormatError):
            return None

    def restarts_window(self, exc: StepError) -> bool:
        return isinstance(exc, NextTokenCorrupted)

    def not_open_yet(self, exc: StepError) -> bool:
        return (isinstance(exc, RequestError) and exc.code == "InvalidParameterValue"
                and NOT_OPEN_YET.search(exc.message) is not None)

    async def fetch_orders(self, ids: list[str]) -> list[dict[str, Any]]:
        params = {f"AmazonOrderId.Id.{n}": order_id for n, order_id in enumerate(ids, start=1)}
        result = await self.client.call("GetOrder", params)
        return list(result.data.get("orders") or [])

    def order_id(self, order: dict[str, Any]) -> str:
        return order["amazonOrderId"]

    async def order_items(self, order_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        async for page in self.client.pages("ListOrderItems", {"AmazonOrderId": order_id}):
            items.extend(page.data.get("orderItems") or [])
        return items
