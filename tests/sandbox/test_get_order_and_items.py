"""GetOrder and ListOrderItems (+ByNextToken)."""
from __future__ import annotations

from .helpers import ORDERS, error_code, text, texts, xml


def ids_param(ids: list[str]) -> dict[str, str]:
    return {f"AmazonOrderId.Id.{n}": oid for n, oid in enumerate(ids, 1)}


async def test_given_known_and_unknown_ids_when_getting_orders_then_known_ones_in_request_order(mws, sandbox):
    known = sorted(sandbox.book.orders)[:3]
    response = await mws.call(ORDERS, "GetOrder", ids_param([known[2], "999-0000000-0000000", known[0]]))
    assert response.status_code == 200
    assert texts(xml(response), "AmazonOrderId") == [known[2], known[0]]


async def test_given_51_ids_when_getting_orders_then_400(mws, sandbox):
    response = await mws.call(ORDERS, "GetOrder", ids_param(sorted(sandbox.book.orders)[:51]))
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_50_ids_when_getting_orders_then_all_50(mws, sandbox):
    response = await mws.call(ORDERS, "GetOrder", ids_param(sorted(sandbox.book.orders)[:50]))
    assert len(texts(xml(response), "AmazonOrderId")) == 50


async def test_given_no_id_when_getting_orders_then_400_missing_parameter(mws):
    response = await mws.call(ORDERS, "GetOrder")
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")


async def test_given_an_order_with_many_items_when_listing_items_then_pages_of_five_via_next_token(mws, sandbox):
    order = next(o for o in sorted(sandbox.book.orders.values(), key=lambda o: o.amazon_order_id)
                 if len(o.items) > 5 and o.status == "Shipped")
    first = xml(await mws.call(ORDERS, "ListOrderItems", {"AmazonOrderId": order.amazon_order_id}))
    assert text(first, "ListOrderItemsResult/AmazonOrderId") == order.amazon_order_id
    items = texts(first, "OrderItemId")
    assert len(items) == 5
    token = text(first, "ListOrderItemsResult/NextToken")
    second = xml(await mws.call(ORDERS, "ListOrderItemsByNextToken", {"NextToken": token}))
    assert text(second, "ListOrderItemsByNextTokenResult/AmazonOrderId") == order.amazon_order_id
    assert text(second, "ListOrderItemsByNextTokenResult/NextToken") is None
    items += texts(second, "OrderItemId")
    assert items == [i.order_item_id for i in order.items]
    assert texts(first, "SellerSKU")[0] in sandbox.book.catalog


async def test_given_a_small_order_when_listing_items_then_one_page_without_token(mws, sandbox):
    order = next(o for o in sandbox.book.orders.values() if len(o.items) <= 5)
    doc = xml(await mws.call(ORDERS, "ListOrderItems", {"AmazonOrderId": order.amazon_order_id}))
    assert text(doc, "ListOrderItemsResult/NextToken") is None
    assert len(texts(doc, "OrderItemId")) == len(order.items)


async def test_given_a_pending_order_when_listing_items_then_no_prices_or_taxes(mws, sandbox):
    order = next(o for o in sandbox.book.orders.values() if o.status == "Pending")
    doc = xml(await mws.call(ORDERS, "ListOrderItems", {"AmazonOrderId": order.amazon_order_id}))
    assert texts(doc, "ASIN") and not texts(doc, "ItemPrice") and not texts(doc, "ItemTax")


async def test_given_an_unknown_order_when_listing_items_then_400_invalid_parameter_value(mws):
    response = await mws.call(ORDERS, "ListOrderItems", {"AmazonOrderId": "999-0000000-0000000"})
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_no_order_id_when_listing_items_then_400_missing_parameter(mws):
    response = await mws.call(ORDERS, "ListOrderItems")
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")
