"""One seller's orders and their items, and `OrderBook`, which holds them with the seller's catalog.

Backend-neutral plain data: no XML here (MWS renders it in app/sandbox/mws/orders/xml.py; an SP-API
sandbox would render the same orders as JSON). How orders are made up lives in seed.py. Money is
integer cents and times integer epoch milliseconds, so the data is exact and deterministic.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from typing import Any, Iterator

from .catalog import CatalogItem
from .dates import iso_ms

ORDER_STATUSES = ("PendingAvailability", "Pending", "Unshipped", "PartiallyShipped", "Shipped",
                  "Canceled", "Unfulfillable")


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    state: str
    postal_code: str
    country: str
    phone: str | None = None


@dataclass
class OrderItem:
    order_item_id: str
    asin: str
    sku: str
    title: str
    quantity_ordered: int
    quantity_shipped: int
    price_cents: int           # ItemPrice: unit price × quantity, as Amazon reports it
    tax_cents: int
    shipping_cents: int
    promotion_cents: int = 0
    is_gift: bool = False


@dataclass
class Order:
    amazon_order_id: str
    marketplace_id: str
    purchase_ms: int
    last_update_ms: int
    status: str
    fulfillment_channel: str        # MFN | AFN
    ship_service_level: str
    category: str                   # ShipmentServiceLevelCategory
    buyer_name: str
    buyer_email: str
    address: Address
    currency: str
    items: list[OrderItem] = field(default_factory=list)
    payment_method: str = "Other"
    is_business: bool = False
    is_prime: bool = False
    is_premium: bool = False
    acknowledged: bool = False                  # by an OrderAcknowledgement feed
    merchant_order_id: str | None = None

    @property
    def total_cents(self) -> int:
        return sum(i.price_cents + i.tax_cents + i.shipping_cents - i.promotion_cents for i in self.items)

    @property
    def shipped(self) -> int:
        return sum(i.quantity_shipped for i in self.items)

    @property
    def unshipped(self) -> int:
        if self.status in ("Canceled", "Pending", "PendingAvailability"):
            return 0
        return sum(i.quantity_ordered - i.quantity_shipped for i in self.items)

    def summary(self) -> dict[str, Any]:
        return {"amazonOrderId": self.amazon_order_id, "orderStatus": self.status,
                "lastUpdateDate": iso_ms(self.last_update_ms), "marketplaceId": self.marketplace_id,
                "purchaseDate": iso_ms(self.purchase_ms), "items": len(self.items),
                **({"acknowledged": True} if self.acknowledged else {}),
                **({"merchantOrderId": self.merchant_order_id} if self.merchant_order_id else {})}


class _SortedKeys:
    """(date ms, order id) keys, sorted. Additions wait in `pending` until the next read, so loading
    100k orders costs one sort rather than 100k insertions into a growing list."""

    __slots__ = ("keys", "pending")

    def __init__(self) -> None:
        self.keys: list[tuple[int, str]] = []
        self.pending: list[tuple[int, str]] = []

    def add(self, key: tuple[int, str]) -> None:
        self.pending.append(key)

    def discard(self, key: tuple[int, str]) -> None:
        keys = self.sorted()
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            del keys[i]

    def sorted(self) -> list[tuple[int, str]]:
        if self.pending:
            if len(self.pending) > 16:
                self.keys += self.pending
                self.keys.sort()  # timsort: the sorted run plus a short tail is near-linear
            else:
                for key in self.pending:
                    insort(self.keys, key)
            self.pending.clear()
        return self.keys

    def since(self, low: tuple) -> Iterator[tuple[int, str]]:
        """Keys >= low, in order (O(log N) to start)."""
        keys = self.sorted()
        for i in range(bisect_left(keys, low), len(keys)):
            yield keys[i]


class OrderBook:
    """One seller's state: its orders by id, with the catalog they draw from, indexed for paging.

    Per marketplace, the orders' (LastUpdateDate, id) and (PurchaseDate, id) are kept sorted, so a page
    starts with a bisect at the window's After or the NextToken's last row and reads only what it sends
    (plus the rows its other filters skip). `orders` may be read freely; orders are added with add()
    and their LastUpdateDate moved with touch(), which keep the index in step.
    """

    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        self.catalog: dict[str, CatalogItem] = {}
        self._index: dict[tuple[str, str], _SortedKeys] = {}  # (date field, marketplace) -> keys

    def _keys(self, date_field: str, marketplace_id: str) -> _SortedKeys:
        found = self._index.get((date_field, marketplace_id))
        if found is None:
            found = self._index[(date_field, marketplace_id)] = _SortedKeys()
        return found

    def add(self, order: Order) -> None:
        old = self.orders.get(order.amazon_order_id)
        if old is not None:
            self._keys("created", old.marketplace_id).discard((old.purchase_ms, old.amazon_order_id))
            self._keys("updated", old.marketplace_id).discard((old.last_update_ms, old.amazon_order_id))
        self.orders[order.amazon_order_id] = order
        self._keys("created", order.marketplace_id).add((order.purchase_ms, order.amazon_order_id))
        self._keys("updated", order.marketplace_id).add((order.last_update_ms, order.amazon_order_id))

    def touch(self, order: Order, last_update_ms: int) -> None:
        """Set an order's LastUpdateDate (always through here: the index is sorted by it)."""
        keys = self._keys("updated", order.marketplace_id)
        keys.discard((order.last_update_ms, order.amazon_order_id))
        order.last_update_ms = last_update_ms
        keys.add((last_update_ms, order.amazon_order_id))

    def get(self, amazon_order_id: str) -> Order | None:
        return self.orders.get(amazon_order_id)

    def select(self, *, date_field: str, after_ms: int, before_ms: int, marketplaces: set[str],
               statuses: set[str] | None = None, channels: set[str] | None = None,
               payment_methods: set[str] | None = None, buyer_email: str | None = None,
               past: tuple[int, str] | None = None, limit: int | None = None) -> list[Order]:
        """Orders with after <= date < before, sorted by (date, id): the window rule of ListOrders.

        `past`: only rows whose (date, id) is greater (a NextToken's last row); `limit`: at most that many.
        """
        low: tuple = (after_ms,)  # sorts before every (after_ms, id)
        if past is not None:
            low = max(low, (past[0], past[1] + "\0"))  # the smallest key greater than `past`
        streams = [self._keys(date_field, m).since(low) for m in sorted(marketplaces)]
        if not streams:
            return []
        keys = streams[0] if len(streams) == 1 else heapq.merge(*streams)
        found: list[Order] = []
        for date, oid in keys:
            if date >= before_ms or (limit is not None and len(found) >= limit):
                break
            o = self.orders[oid]
            if (o.purchase_ms if date_field == "created" else o.last_update_ms) != date:
                raise RuntimeError(f"order {oid} changed its date without OrderBook.touch()")
            if ((not statuses or o.status in statuses)
                    and (not channels or o.fulfillment_channel in channels)
                    and (not payment_methods or o.payment_method in payment_methods)
                    and (buyer_email is None or o.buyer_email == buyer_email)):
                found.append(o)
        return found
