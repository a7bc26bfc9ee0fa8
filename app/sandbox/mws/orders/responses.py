"""Orders 2013-09-01: ListOrders (+ByNextToken), GetOrder, ListOrderItems (+ByNextToken), GetServiceStatus.

Window rule (documented choice): an order is in a ListOrders window when
`After <= date < Before`, where Before is the echoed bound min(requested Before, now − 2 min).
After is inclusive and Before exclusive, so windows chained by reusing the echoed Before as the next
After partition time: no order is lost or returned twice. An order updated later moves to a later
window, as on Amazon. Rows are sorted by (date, AmazonOrderId); a NextToken keeps the query, the
echoed Before and the sort key of the last row sent.
"""
from __future__ import annotations

from typing import Any

from lxml import etree

from . import xmlgen
from .exceptions import invalid, missing
from .models import ORDER_STATUSES
from .orders_xml import item_element, order_element
from .sections import Call, Section, get_service_status

NAMESPACE = "https://mws.amazonservices.com/Orders/2013-09-01"
CLAMP_MS = 2 * 60 * 1000
ITEMS_PAGE_SIZE = 5
MAX_IDS = 50


def list_param(params: dict[str, str], prefix: str) -> list[str]:
    """Values of `Prefix.1`, `Prefix.2`, ... in index order (`MarketplaceId.Id.N` style lists)."""
    found = []
    for key, value in params.items():
        head, _, index = key.rpartition(".")
        if head == prefix and index.isdigit():
            found.append((int(index), value))
    return [value for _, value in sorted(found)]


def _date(params: dict[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return xmlgen.parse_iso_ms(raw)
    except ValueError:
        raise invalid(f"Invalid {name}: it must be an ISO-8601 date such as 2020-05-28T11:22:24Z") from None


def _choices(params: dict[str, str], prefix: str, allowed: tuple[str, ...]) -> list[str]:
    values = list_param(params, prefix)
    for value in values:
        if value not in allowed:
            raise invalid(f"Invalid {prefix.split('.')[0]}: {value}")
    return values


def _query(call: Call) -> dict[str, Any]:
    p = call.params
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
    after = _date(p, after_name)
    requested = _date(p, before_name)
    clamp = call.now_ms - CLAMP_MS
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
        if mid not in call.seller.marketplaces:
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


def _orders_page(call: Call, query: dict[str, Any], last: list | None) -> etree._Element:
    # One row more than the page, to know whether a NextToken is due; the book starts at the last row.
    rows = [] if query["nomatch"] else call.sandbox.book.select(
        date_field=query["kind"], after_ms=query["after"], before_ms=query["before"],
        marketplaces=set(query["mp"]), statuses=set(query["st"]), channels=set(query["fc"]),
        payment_methods=set(query["pm"]), buyer_email=query["email"],
        past=(int(last[0]), str(last[1])) if last is not None else None, limit=query["max"] + 1)
    key = (lambda o: [o.purchase_ms if query["kind"] == "created" else o.last_update_ms, o.amazon_order_id])
    page, more = rows[: query["max"]], len(rows) > query["max"]
    result = call.result()
    if more:
        token = call.sandbox.tokens.encode("orders", call.seller.seller_id, {"q": query, "last": key(page[-1])})
        xmlgen.sub(result, "NextToken", token)
    bound = "CreatedBefore" if query["kind"] == "created" else "LastUpdatedBefore"
    xmlgen.sub(result, bound, xmlgen.iso_ms(query["before"]))
    orders = xmlgen.sub(result, "Orders")
    for order in page:
        order_element(orders, order)
    return result


def list_orders(call: Call) -> etree._Element:
    return _orders_page(call, _query(call), None)


def list_orders_by_next_token(call: Call) -> etree._Element:
    token = call.params.get("NextToken")
    if not token:
        raise missing("NextToken")
    state = call.sandbox.tokens.decode("orders", call.seller.seller_id, token)
    return _orders_page(call, state["q"], state["last"])


def get_order(call: Call) -> etree._Element:
    ids = list_param(call.params, "AmazonOrderId.Id")
    if not ids:
        raise missing("AmazonOrderId.Id.1")
    if len(ids) > MAX_IDS:
        raise invalid(f"At most {MAX_IDS} AmazonOrderId values are allowed")
    result = call.result()
    orders = xmlgen.sub(result, "Orders")
    for oid in dict.fromkeys(ids):
        order = call.sandbox.book.get(oid)
        if order is not None and order.marketplace_id in call.seller.marketplaces:
            order_element(orders, order)
    return result


def _items_page(call: Call, order_id: str, offset: int) -> etree._Element:
    order = call.sandbox.book.get(order_id)
    if order is None or order.marketplace_id not in call.seller.marketplaces:
        raise invalid(f"Invalid AmazonOrderId: {order_id}")
    result = call.result()
    if offset + ITEMS_PAGE_SIZE < len(order.items):
        token = call.sandbox.tokens.encode("items", call.seller.seller_id,
                                           {"o": order_id, "i": offset + ITEMS_PAGE_SIZE})
        xmlgen.sub(result, "NextToken", token)
    xmlgen.sub(result, "AmazonOrderId", order_id)
    items = xmlgen.sub(result, "OrderItems")
    for item in order.items[offset: offset + ITEMS_PAGE_SIZE]:
        item_element(items, order, item)
    return result


def list_order_items(call: Call) -> etree._Element:
    order_id = call.params.get("AmazonOrderId")
    if not order_id:
        raise missing("AmazonOrderId")
    return _items_page(call, order_id, 0)


def list_order_items_by_next_token(call: Call) -> etree._Element:
    token = call.params.get("NextToken")
    if not token:
        raise missing("NextToken")
    state = call.sandbox.tokens.decode("items", call.seller.seller_id, token)
    return _items_page(call, state["o"], int(state["i"]))


def section() -> Section:
    return Section("Orders", "/Orders/2013-09-01", "2013-09-01", NAMESPACE, {
        "ListOrders": list_orders,
        "ListOrdersByNextToken": list_orders_by_next_token,
        "GetOrder": get_order,
        "ListOrderItems": list_order_items,
        "ListOrderItemsByNextToken": list_order_items_by_next_token,
        "GetServiceStatus": get_service_status,
    })
