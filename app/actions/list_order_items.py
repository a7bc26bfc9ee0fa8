"""List Order Items: every item of one order (on MWS, ListOrderItems and its NextToken pages)."""
from __future__ import annotations

from typing import Any

from app.backends import orders_for
from app.runtime.context import StepContext


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    order_id = msg["body"]["amazonOrderId"]
    items = await orders_for(ctx).order_items(order_id)
    await ctx.data({"amazonOrderId": order_id, "orderItems": items})
