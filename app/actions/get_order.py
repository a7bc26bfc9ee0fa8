"""Get Order: any number of Amazon order ids, looked up in the backend's batches (50 a GetOrder
call on MWS), answered in the order asked."""
from __future__ import annotations

from typing import Any

from app.backends import orders_for
from app.runtime.context import StepContext


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    asked = list(dict.fromkeys(msg["body"]["amazonOrderIds"]))
    orders = orders_for(ctx)
    found: dict[str, dict[str, Any]] = {}
    for first in range(0, len(asked), orders.batch_size):
        for order in await orders.fetch_orders(asked[first:first + orders.batch_size]):
            found[orders.order_id(order)] = order
    await ctx.data({
        "orders": [found[i] for i in asked if i in found],
        "notFound": [i for i in asked if i not in found],
    })
