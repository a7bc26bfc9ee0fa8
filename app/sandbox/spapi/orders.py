"""Orders API v2026-01-01: searchOrders and getOrder over the orders the MWS sandbox serves.

searchOrders, as the model's parameter notes say:
- exactly one of createdAfter / lastUpdatedAfter; createdAfter excludes lastUpdated*, lastUpdatedAfter
  excludes created*; a Before is at or after its After;
- the 2-minute rule: the window ends at min(Before asked, now − 2 min), echoed as `createdBefore` /
  `lastUpdatedBefore`; an After later than now − 2 min is refused;
- both bounds are inclusive ("at or after", "at or before"); orders come sorted by that date, then id;
- maxResultsPerPage 1–100 (default 100); marketplaceIds (≤ 50, default: all the seller's) must be the
  seller's; fulfillmentStatuses, fulfilledBy and includedData take the model's enums;
- a paginationToken is valid 24 h and only with the same other parameters (maxResultsPerPage and
  includedData may change); it keeps the first page's window end and the last order sent, so orders
  updated between pages are neither repeated nor skipped within the window.
getOrder: a malformed id (not 3-7-7 digits) is 400 InvalidInput, an unknown one 404 NotFound.
"""
from __future__ import annotations

import re
from typing import Any

from .call import Call
from .errors import invalid, not_found
from .orders_shape import FULFILLMENT_STATUS, FULFILLMENT_STATUSES, INCLUDED_DATA, order_json
from .params import fingerprint, iso
from .seams import seller_book, seller_marketplaces

TWO_MINUTES_MS = 120_000
TOKEN_TTL_MS = 24 * 3_600_000
ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")
STATUS_NAMES = {v: k for k, v in FULFILLMENT_STATUS.items()}        # v2026 → the shared state's names
CHANNELS = {"AMAZON": "AFN", "MERCHANT": "MFN"}


def _marketplaces(call: Call) -> list[str]:
    own = seller_marketplaces(call.sandbox, call.seller_id)
    asked = call.query.array("marketplaceIds", max_items=50)
    for marketplace_id in asked or []:
        if marketplace_id not in own:
            raise invalid(f"Invalid marketplaceIds: {marketplace_id} is not a marketplace this seller participates in")
    return sorted(set(asked or own))


def _window(call: Call) -> tuple[str, int, int | None]:
    """(date field, After ms, Before asked ms | None), after the cross-parameter rules."""
    q = call.query
    created_after, updated_after = q.date("createdAfter"), q.date("lastUpdatedAfter")
    created_before, updated_before = q.date("createdBefore"), q.date("lastUpdatedBefore")
    if (created_after is None) == (updated_after is None):
        raise invalid("Exactly one of createdAfter and lastUpdatedAfter must be provided")
    if created_after is not None and updated_before is not None:
        raise invalid("lastUpdatedBefore cannot be used with createdAfter")
    if updated_after is not None and created_before is not None:
        raise invalid("createdBefore cannot be used with lastUpdatedAfter")
    field, after, before = (("created", created_after, created_before) if created_after is not None
                            else ("lastUpdated", updated_after, updated_before))
    assert after is not None                     # exactly one After was given (checked above)
    if after > call.now_ms - TWO_MINUTES_MS:
        raise invalid(f"{field}After must be at least two minutes before the time of the request")
    if before is not None and before < after:
        raise invalid(f"{field}Before must be equal to or after {field}After")
    return field, after, before


def search_orders(call: Call) -> dict[str, Any]:
    q = call.query
    field, after, asked_before = _window(call)
    marketplaces = _marketplaces(call)
    statuses = q.array("fulfillmentStatuses", enum=FULFILLMENT_STATUSES)
    fulfilled_by = q.array("fulfilledBy", enum=tuple(CHANNELS))
    page_size = q.integer("maxResultsPerPage", 1, 100, 100)
    included = set(q.array("includedData", enum=INCLUDED_DATA) or ())
    filters = fingerprint({"field": field, "after": after, "before": asked_before, "marketplaces": marketplaces,
                           "statuses": sorted(set(statuses or ())), "fulfilledBy": sorted(set(fulfilled_by or ()))})
    before = call.now_ms - TWO_MINUTES_MS if asked_before is None else min(asked_before, call.now_ms - TWO_MINUTES_MS)
    past = None
    token = q.one("paginationToken")
    if token is not None:
        state = call.spapi.tokens.decode("searchOrders", token, "paginationToken")
        if state.get("seller") != call.seller_id:
            raise invalid("The paginationToken is invalid")
        if call.now_ms - int(state["issued"]) > TOKEN_TTL_MS:
            raise invalid("The paginationToken has expired; start again without it")
        if state.get("filters") != filters:
            raise invalid("A paginationToken must be used with the same parameters as the request that returned it")
        before, past = int(state["before"]), (int(state["lastDate"]), str(state["lastId"]))
    found = seller_book(call.sandbox, call.seller_id).select(
        date_field="created" if field == "created" else "updated", after_ms=after, before_ms=before + 1,
        marketplaces=set(marketplaces), statuses={STATUS_NAMES[s] for s in statuses} if statuses else None,
        channels={CHANNELS[c] for c in fulfilled_by} if fulfilled_by else None, past=past, limit=page_size + 1)
    page = found[:page_size]
    out: dict[str, Any] = {"orders": [order_json(o, included) for o in page]}
    if len(found) > page_size:
        last = page[-1]
        out["pagination"] = {"nextToken": call.spapi.tokens.encode("searchOrders", {
            "seller": call.seller_id, "issued": call.now_ms, "filters": filters, "before": before,
            "lastDate": last.purchase_ms if field == "created" else last.last_update_ms, "lastId": last.amazon_order_id})}
    out[f"{field}Before"] = iso(before)
    return out


def get_order(call: Call) -> dict[str, Any]:
    order_id = call.path["orderId"]
    included = set(call.query.array("includedData", enum=INCLUDED_DATA) or ())
    if not ORDER_ID.match(order_id):
        raise invalid(f"Invalid orderId {order_id!r}: an Amazon order id has the form 3-7-7 digits")
    order = seller_book(call.sandbox, call.seller_id).get(order_id)
    if order is None or order.marketplace_id not in seller_marketplaces(call.sandbox, call.seller_id):
        raise not_found("order")
    return {"order": order_json(order, included)}
