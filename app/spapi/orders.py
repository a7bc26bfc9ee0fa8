"""The orders steps on SP-API, Orders v2026-01-01 (the `OrdersBackend` of app.backends.ports):
searchOrders windows by lastUpdatedAfter, one getOrder per id, an order's items from getOrder.

The trigger's rules are the steps' (app/triggers): this says how v2026 names them. An order version
is `orderId` + `lastUpdatedTime`; the echoed `lastUpdatedBefore` ends the window; a paginationToken
Amazon refuses (expired after 24 h, or another window's) restarts the window; MWS's order statuses
are sent as `fulfillmentStatuses`; a window never starts before Amazon's 730-day horizon.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, AsyncIterator

from app.backends.ports import OrdersPage
from app.dates import DateFormatError, normalize, to_amazon
from app.model import load
from app.runtime.errors import StepError
from app.spapi.client import SpapiClient
from app.spapi.errors import NotFound, RequestError

MODEL = load("spapi", "orders")
HORIZON_SECONDS = MODEL["horizonDays"] * 86_400.0 - 3_600.0  # an hour inside Amazon's edge


def search_query(cfg: dict[str, Any], start: str, end: str | None) -> dict[str, Any]:
    statuses = [MODEL["fulfillmentStatuses"][s] for s in dict.fromkeys(cfg.get("orderStatuses") or [])
                if s in MODEL["fulfillmentStatuses"]]
    return {
        "lastUpdatedAfter": start,
        "lastUpdatedBefore": end,
        "marketplaceIds": [cfg["marketplaceId"]],
        "maxResultsPerPage": int(cfg.get("maxResultsPerPage") or 100),
        "fulfillmentStatuses": statuses,
        "includedData": list(dict.fromkeys(cfg.get("includedData") or [])),
    }


class SpapiOrders:
    batch_size = 1  # getOrder takes one id

    def __init__(self, client: SpapiClient, cfg: dict[str, Any]) -> None:
        self.client, self.cfg = client, cfg

    def earliest_start(self, now: float) -> str | None:
        return to_amazon_seconds(now - HORIZON_SECONDS)

    async def window_pages(self, cfg: dict[str, Any], start: str, end: str | None,
                           next_token: str | None) -> AsyncIterator[OrdersPage]:
        async for result, nxt in self.client.pages("searchOrders", search_query(cfg, start, end),
                                                   next_token=next_token):
            yield OrdersPage(list(result.data.get("orders") or []), nxt, result.data.get("lastUpdatedBefore"))

    def version(self, order: dict[str, Any]) -> str | None:
        try:
            return f"{order['orderId']}@{normalize(order['lastUpdatedTime'])}"
        except (KeyError, TypeError, DateFormatError):
            return None

    def restarts_window(self, exc: StepError) -> bool:
        return isinstance(exc, RequestError) and "paginationtoken" in (exc.message or "").lower()

    def not_open_yet(self, exc: StepError) -> bool:
        text = (exc.message or "").lower()
        return isinstance(exc, RequestError) and "lastupdatedafter" in text and "two minutes" in text

    async def fetch_orders(self, ids: list[str]) -> list[dict[str, Any]]:
        found = []
        for order_id in ids:
            try:
                result = await self.client.call("getOrder", path={"orderId": order_id},
                                                 query={"includedData": list(self.cfg.get("includedData") or [])})
            except NotFound:
                continue
            order = result.data.get("order")
            if isinstance(order, dict):
                found.append(order)
        return found

    def order_id(self, order: dict[str, Any]) -> str:
        return order["orderId"]

    async def order_items(self, order_id: str) -> list[dict[str, Any]]:
        result = await self.client.call("getOrder", path={"orderId": order_id})
        return list((result.data.get("order") or {}).get("orderItems") or [])


def to_amazon_seconds(epoch: float) -> str:
    return to_amazon(datetime.fromtimestamp(epoch, tz=timezone.utc))
