"""Get Order: any number of Amazon order ids, looked up in the backend's batches (50 a GetOrder
call on MWS), answered in the order asked.

Emit Behavior:
- `fetchAll` (default): one message `{"orders", "notFound"}`. It cannot resume part-way (its answer is
  one message), so a list longer than one execution can look up at the quota rate
  (app.backends.order_lookup_capacity) is refused up front with a 422, before any call.
- `emitIndividually`: one message per order found, then one `{"notFound": [...]}`. After each call
  the snapshot says where the list stands (`nextIndex`, the ids not found so far, the list's MD5),
  so a rebound resumes there: any count completes across calls, no id fetched twice.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from app.backends import order_lookup_capacity, orders_for
from app.backends.ports import OrdersBackend
from app.model import load
from app.runtime.context import StepContext
from app.runtime.errors import InputProblem, StepError
from app.settings import Settings

INCLUDED_DATA: dict[str, str] = dict(load("spapi", "orders")["includedData"])  # SP-API only
EMIT_BEHAVIORS = {"fetchAll": "Fetch All (one message)", "emitIndividually": "Emit Individually (one message per order)"}


def select_model(field: str, cfg: dict[str, Any]) -> dict[str, str] | None:
    return {"emitBehavior": EMIT_BEHAVIORS, "includedData": INCLUDED_DATA}.get(field)


def get_meta_model(cfg: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The output follows Emit Behavior and the backend: SP-API credentials get the v2026 Order schemas
    (schemas/spapi/actions); the input is the same for all."""
    from app.backends import SPAPI, backend_name

    individual = (cfg.get("emitBehavior") or "fetchAll") == "emitIndividually"
    out = "getOrder.individual.out.json" if individual else "getOrder.out.json"
    if backend_name(cfg) == SPAPI:
        out = f"../spapi/actions/{out}"
    draft = "https://json-schema.org/draft/2020-12/schema"  # beside the $ref: POST answers what GET does
    return {"in": {"$schema": draft, "$ref": "getOrder.in.json"}, "out": {"$schema": draft, "$ref": out}}


def _asked(msg: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(msg["body"]["amazonOrderIds"]))


def check(msg: dict[str, Any], cfg: dict[str, Any], settings: Settings) -> list[InputProblem]:
    if (cfg.get("emitBehavior") or "fetchAll") != "fetchAll":
        return []
    limit = order_lookup_capacity(cfg, settings)
    if len(_asked(msg)) <= limit:
        return []
    return [InputProblem("msg.body.amazonOrderIds",
                         f"Fetch All looks up at most {limit} ids in one execution (STEP_TIMEOUT at Amazon's "
                         "quota); choose Emit Individually for longer lists, or split the list")]


def check_snapshot(snapshot: dict[str, Any]) -> list[InputProblem]:
    problems = []
    index = snapshot.get("nextIndex")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
        problems.append(InputProblem("snapshot.nextIndex", "must be a whole number, 0 or more"))
    missing = snapshot.get("notFound")
    if missing is not None and not (isinstance(missing, list) and all(isinstance(i, str) for i in missing)):
        problems.append(InputProblem("snapshot.notFound", "must be a list of order ids"))
    return problems


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    asked = _asked(msg)
    orders = orders_for(ctx)
    if ctx.sample:
        asked = asked[:orders.batch_size]  # a sample sends one request
    if (ctx.cfg.get("emitBehavior") or "fetchAll") == "emitIndividually":
        await _emit_individually(ctx, orders, asked)
        return
    found: dict[str, dict[str, Any]] = {}
    for first in range(0, len(asked), orders.batch_size):
        for order in await orders.fetch_orders(asked[first:first + orders.batch_size]):
            found[orders.order_id(order)] = order
    await ctx.data({
        "orders": [found[i] for i in asked if i in found],
        "notFound": [i for i in asked if i not in found],
    })


def _list_md5(asked: list[str]) -> str:
    return hashlib.md5(json.dumps(asked).encode(), usedforsecurity=False).hexdigest()


async def _emit_individually(ctx: StepContext, orders: OrdersBackend, asked: list[str]) -> None:
    digest = _list_md5(asked)
    state = ctx.received_snapshot
    same_list = state.get("listMd5") == digest  # a snapshot of another list must not skip ids
    index = int(state.get("nextIndex") or 0) if same_list else 0
    not_found: list[str] = list(state.get("notFound") or []) if same_list else []

    def resume_point() -> dict[str, Any]:
        point: dict[str, Any] = {"nextIndex": index, "listMd5": digest}
        if not_found:
            point["notFound"] = list(not_found)
        return point

    while index < len(asked):
        batch = asked[index:index + orders.batch_size]
        try:
            fetched = await orders.fetch_orders(batch)
        except StepError as exc:
            await ctx.settle(exc, resume_point(), where=f"{index} of {len(asked)} ids done; resume from the snapshot")
            return
        found = {orders.order_id(order): order for order in fetched}
        for order_id in batch:
            if order_id in found:
                await ctx.data(found[order_id])
            else:
                not_found.append(order_id)
        index += len(batch)
        if index < len(asked):
            await ctx.snapshot(resume_point())
    await ctx.data({"notFound": not_found})
    await ctx.snapshot({})
