"""The Orders backend model: the rules of ListOrders (+ByNextToken), GetOrder and ListOrderItems
(+ByNextToken) over each seller's state, with no XML in it.

Window rule (documented choice): an order is in a ListOrders window when
`After <= date < Before`, where Before is the echoed bound min(requested Before, now − 2 min).
After is inclusive and Before exclusive, so windows chained by reusing the echoed Before as the next
After partition time: no order is lost or returned twice. An order updated later moves to a later
window, as on Amazon. Rows are sorted by (date, AmazonOrderId); a NextToken keeps the query, the
echoed Before and the sort key of the last row sent.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...state import ORDER_STATUSES, Order, OrderItem, SellerStates
from ..auth import Seller
from ..errors import invalid, missing
from ..paging import TokenCodec
from ..params import date_param, list_param

CLAMP_MS = 2 * 60 * 1000
ITEMS_PAGE_SIZE = 5
MAX_IDS = 50


@dataclass
class OrdersPage:
    orders: list[Order]
    bound: str                 # "CreatedBefore" | "LastUpdatedBefore"
    before_ms: int             # its echoed value
    next_token: str | None


@dataclass
class ItemsPage:
    order: Order
    items: list[OrderItem]
    next_token: str | None


def _choices(params: dict[str, str], prefix: str, allowed: tuple[str, ...]) -> list[str]:
    values = list_param(params, prefix)
    for value in values:
        if value not in allowed:
            raise invalid(f"Invalid {prefix.split('.')[0]}: {value}")
    return values


class OrdersBackend:
    def __init__(self, states: SellerStates, tokens: TokenCodec) -> None:
        self.states = states
        self.tokens = tokens

    # -- ListOrders ------------------------------------------------------------------------------
    def query(self, p: dict[str, str], seller: Seller, now_ms: int) -> dict[str, Any]:
        """ListOrders' parameters, checked against Amazon's combination rules (mws-api.md §3.2)."""
        created, updated = p.get("CreatedAfter"), p.get("LastUpdatedAfter")
        if created is None and updated is None:
            raise invalid("CreatedAfter or LastUpdatedAfter must be specified")
        if created is not None and updated is not None:
            raise invalid("CreatedAfter and LastUpdatedAfter cannot both be specified")
        kind = "created" if created is not None else "updated"
        after_name, before_name = ("CreatedAfter", "CreatedBefore") if kind == "created" \
            else ("LastUpdatedAfter", "LastUpdatedBefore")
        other_before = "LastUpdatedBefore" if kind == "created" else "CreatedBefore"
        if other_before in p:
            raise invalid(f"{other_before} can only be specified with {other_before.replace('Before', 'After')}")
        after = date_param(p, after_name, 0)  # present: checked above
        requested = date_param(p, before_name)
        clamp = now_ms - CLAMP_MS
        if requested is not None and requested <= after:
            raise invalid(f"{before_name} must be later than {after_name}")
        if after > clamp:
            raise invalid(f"The {after_name} date is after the {before_name} date")
        before = clamp if requested is None else min(requested, clamp)

        marketplaces = list_param(p, "MarketplaceId.Id")
        if not marketplaces:
            raise missing("MarketplaceId.Id.1")
        if len(marketplaces) > MAX_IDS:
            raise invalid(f"At most {MAX_IDS} MarketplaceId values are allowed")
        for mid in marketplaces:
            if mid not in seller.marketplaces:
                raise invalid(f"Invalid MarketplaceId: {mid} is not a marketplace this seller participates in")
        statuses = _choices(p, "OrderStatus.Status", ORDER_STATUSES)
        if ("Unshipped" in statuses) != ("PartiallyShipped" in statuses):
            raise invalid("OrderStatus Unshipped and PartiallyShipped must be specified together")
        channels = _choices(p, "FulfillmentChannel.Channel", ("AFN", "MFN"))
        methods = _choices(p, "PaymentMethod.Method", ("COD", "CVS", "Other"))
        exclusive = [n for n in ("BuyerEmail", "SellerOrderId") if n in p]
        if exclusive and (kind == "updated" or statuses or channels or methods or len(exclusive) > 1):
            raise invalid(f"{exclusive[0]} cannot be combined with LastUpdatedAfter, OrderStatus, "
                          "FulfillmentChannel, PaymentMethod or the other of BuyerEmail/SellerOrderId")
        raw_max = p.get("MaxResultsPerPage", "100")
        if not raw_max.isdigit() or not 1 <= int(raw_max) <= 100:
            raise invalid("MaxResultsPerPage must be a whole number from 1 to 100")
        return {"kind": kind, "after": after, "before": before, "mp": marketplaces, "st": statuses,
                "fc": channels, "pm": methods, "email": p.get("BuyerEmail"),
                "nomatch": "SellerOrderId" in p,   # the sandbox's orders carry no SellerOrderId
                "max": int(raw_max)}

    def orders_page(self, seller: Seller, query: dict[str, Any], last: list | None) -> OrdersPage:
        # One row more than the page, to know whether a NextToken is due; the book starts at the last row.
        rows = [] if query["nomatch"] else self.states.of(seller.seller_id).select(
            date_field=query["kind"], after_ms=query["after"], before_ms=query["before"],
            marketplaces=set(query["mp"]), statuses=set(query["st"]), channels=set(query["fc"]),
            payment_methods=set(query["pm"]), buyer_email=query["email"],
            past=(int(last[0]), str(last[1])) if last is not None else None, limit=query["max"] + 1)
        page, token = rows[: query["max"]], None
        if len(rows) > query["max"]:
            o = page[-1]
            key = [o.purchase_ms if query["kind"] == "created" else o.last_update_ms, o.amazon_order_id]
            token = self.tokens.encode("orders", seller.seller_id, {"q": query, "last": key})
        bound = "CreatedBefore" if query["kind"] == "created" else "LastUpdatedBefore"
        return OrdersPage(page, bound, query["before"], token)

    def orders_page_by_token(self, seller: Seller, token: str) -> OrdersPage:
        state = self.tokens.decode("orders", seller.seller_id, token)
        return self.orders_page(seller, state["q"], state["last"])

    # -- GetOrder --------------------------------------------------------------------------------
    def get_orders(self, seller: Seller, ids: list[str]) -> list[Order]:
        if not ids:
            raise missing("AmazonOrderId.Id.1")
        if len(ids) > MAX_IDS:
            raise invalid(f"At most {MAX_IDS} AmazonOrderId values are allowed")
        book = self.states.of(seller.seller_id)
        found = (book.get(oid) for oid in dict.fromkeys(ids))
        return [o for o in found if o is not None and o.marketplace_id in seller.marketplaces]

    # -- ListOrderItems --------------------------------------------------------------------------
    def items_page(self, seller: Seller, order_id: str, offset: int) -> ItemsPage:
        order = self.states.of(seller.seller_id).get(order_id)
        if order is None or order.marketplace_id not in seller.marketplaces:
            raise invalid(f"Invalid AmazonOrderId: {order_id}")
        token = None
        if offset + ITEMS_PAGE_SIZE < len(order.items):
            token = self.tokens.encode("items", seller.seller_id, {"o": order_id, "i": offset + ITEMS_PAGE_SIZE})
        return ItemsPage(order, order.items[offset: offset + ITEMS_PAGE_SIZE], token)

    def items_page_by_token(self, seller: Seller, token: str) -> ItemsPage:
        state = self.tokens.decode("items", seller.seller_id, token)
        return self.items_page(seller, state["o"], int(state["i"]))
