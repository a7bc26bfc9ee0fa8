"""List Order Items: every item of one order, following ListOrderItemsByNextToken to the last page."""
from __future__ import annotations

from typing import Any

from app.mws.client import client_for
from app.runtime.context import StepContext


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    order_id = msg["body"]["amazonOrderId"]
    items: list[dict[str, Any]] = []
    async for page in client_for(ctx).pages("ListOrderItems", {"AmazonOrderId": order_id}):
        items.extend(page.data.get("orderItems") or [])
    await ctx.data({"amazonOrderId": order_id, "orderItems": items})
