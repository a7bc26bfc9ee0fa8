"""The sandbox's shared state, per seller: each seller's orders and catalog (an `OrderBook`).

Backend-neutral plain Python data, no XML: the MWS sections (app/sandbox/mws/) read and change it,
and an SP-API sandbox can sit beside them over the same state. dates.py (integer-millisecond times),
catalog.py (SKUs and offers), orders.py (orders, items and the book that indexes them), seed.py
(deterministic catalog and orders, and the order generator).
"""
from __future__ import annotations

from typing import Iterator

from .catalog import CatalogItem
from .orders import ORDER_STATUSES, Address, Order, OrderBook, OrderItem

__all__ = ["ORDER_STATUSES", "Address", "CatalogItem", "Order", "OrderBook", "OrderItem", "SellerStates"]


class SellerStates:
    """Every seller's `OrderBook`, by SellerId; a seller the sandbox has not seen yet starts empty."""

    def __init__(self) -> None:
        self._books: dict[str, OrderBook] = {}

    def of(self, seller_id: str) -> OrderBook:
        book = self._books.get(seller_id)
        if book is None:
            book = self._books[seller_id] = OrderBook()
        return book

    def __iter__(self) -> Iterator[tuple[str, OrderBook]]:
        return iter(sorted(self._books.items()))
