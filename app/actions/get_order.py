"""Get Order: GetOrder for any number of Amazon order ids, 50 a call, answered in the order asked."""
from __future__ import annotations

from typing import Any

from app.mws.client import client_for
from app.runtime.context import StepContext

BATCH = 50


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    asked = list(dict.fromkeys(msg["body"]["amazonOrderIds"]))
    client = client_for(ctx)
    found: dict[str, dict[str, Any]] = {}
    for first in range(0, len(asked), BATCH):
        batch = asked[first:first + BATCH]
        params = {f"AmazonOrderId.Id.{n}": order_id for n, order_id in enumerate(batch, start=1)}
        result = await client.call("GetOrder", params)
        for order in result.data.get("orders") or []:
            found[order["amazonOrderId"]] = order
    await ctx.data({
        "orders": [found[i] for i in asked if i in found],
        "notFound": [i for i in asked if i not in found],
    })
