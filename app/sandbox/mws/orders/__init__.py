"""The Orders 2013-09-01 section: models.py (the backend: rules over each seller's state), responses.py
(handlers: call in, XML out), xml.py (Order and OrderItem elements)."""
from __future__ import annotations

from functools import partial

from ..sections import Section, from_model, get_service_status
from . import responses
from .models import OrdersBackend

__all__ = ["OrdersBackend", "section"]


def section(backend: OrdersBackend) -> Section:
    return from_model("orders", {
        "ListOrders": partial(responses.list_orders, backend),
        "ListOrdersByNextToken": partial(responses.list_orders_by_next_token, backend),
        "GetOrder": partial(responses.get_order, backend),
        "ListOrderItems": partial(responses.list_order_items, backend),
        "ListOrderItemsByNextToken": partial(responses.list_order_items_by_next_token, backend),
        "GetServiceStatus": get_service_status,
    })
