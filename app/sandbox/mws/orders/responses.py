"""Orders 2013-09-01 handlers: the parsed call in, the backend's answer out as Amazon's XML.

ListOrders (+ByNextToken), GetOrder, ListOrderItems (+ByNextToken) and GetServiceStatus. Each
handler receives the `OrdersBackend` (models.py) and the `Call`. As live MWS does, ListOrders puts
`<NextToken>` after `<Orders>`; ListOrderItems puts it first, as the documented samples do.
"""
from __future__ import annotations

from lxml import etree

from .. import xmlgen
from ..errors import missing
from ..params import list_param
from ..sections import Call
from .models import ItemsPage, OrdersBackend, OrdersPage
from .xml import item_element, order_element


def _orders_result(call: Call, page: OrdersPage) -> etree._Element:
    result = call.result()
    xmlgen.sub(result, page.bound, xmlgen.iso_ms(page.before_ms))
    orders = xmlgen.sub(result, "Orders")
    for order in page.orders:
        order_element(orders, order)
    if page.next_token:
        xmlgen.sub(result, "NextToken", page.next_token)
    return result


def _token(call: Call) -> str:
    token = call.params.get("NextToken")
    if not token:
        raise missing("NextToken")
    return token


def list_orders(backend: OrdersBackend, call: Call) -> etree._Element:
    query = backend.query(call.params, call.seller, call.now_ms)
    return _orders_result(call, backend.orders_page(call.seller, query, None))


def list_orders_by_next_token(backend: OrdersBackend, call: Call) -> etree._Element:
    return _orders_result(call, backend.orders_page_by_token(call.seller, _token(call)))


def get_order(backend: OrdersBackend, call: Call) -> etree._Element:
    found = backend.get_orders(call.seller, list_param(call.params, "AmazonOrderId.Id"))
    result = call.result()
    orders = xmlgen.sub(result, "Orders")
    for order in found:
        order_element(orders, order)
    return result


def _items_result(call: Call, page: ItemsPage) -> etree._Element:
    result = call.result()
    if page.next_token:
        xmlgen.sub(result, "NextToken", page.next_token)
    xmlgen.sub(result, "AmazonOrderId", page.order.amazon_order_id)
    items = xmlgen.sub(result, "OrderItems")
    for item in page.items:
        item_element(items, page.order, item)
    return result


def list_order_items(backend: OrdersBackend, call: Call) -> etree._Element:
    order_id = call.params.get("AmazonOrderId")
    if not order_id:
        raise missing("AmazonOrderId")
    return _items_result(call, backend.items_page(call.seller, order_id, 0))


def list_order_items_by_next_token(backend: OrdersBackend, call: Call) -> etree._Element:
    return _items_result(call, backend.items_page_by_token(call.seller, _token(call)))
