"""Deterministic data: the catalog, 250 seeded orders, and the order generator.

Everything derives from `seed`: the same seed gives the same catalog and orders, and the generator's
k-th event (at start + k × order_every) depends only on the seed, k and the state before it. The
generator is applied lazily — whenever a request or state() looks at the data, every event whose time
has come is applied in order — so no background task is needed and a VirtualClock drives it exactly.
"""
from __future__ import annotations

import random

from .catalog import CatalogItem
from .dates import DAY_MS
from .orders import Address, Order, OrderBook, OrderItem

SEEDED_ORDERS = 250
_ADJ = ("Classic", "Compact", "Deluxe", "Eco", "Ergonomic", "Portable", "Premium", "Rugged", "Smart", "Vintage")
_NOUN = ("Backpack", "Blender", "Desk Lamp", "Headphones", "Kettle", "Notebook", "Phone Case", "Water Bottle",
         "Yoga Mat", "Wall Clock", "Speaker", "Charger")
_FIRST = ("Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Drew")
_LAST = ("Smith", "Johnson", "Lee", "Garcia", "Brown", "Martin", "Nguyen", "Wilson", "Clark", "Lopez")
_US = (("Seattle", "WA", "98103"), ("Austin", "TX", "78701"), ("Denver", "CO", "80202"),
       ("Boston", "MA", "02108"), ("Chicago", "IL", "60601"), ("Portland", "OR", "97201"))
_CA = (("Toronto", "ON", "M5H 2N2"), ("Vancouver", "BC", "V6B 1A1"), ("Montreal", "QC", "H2Y 1C6"))
_LEVELS = (("Std US D2D Dom", "Standard"), ("Exp US D2D Dom", "Expedited"), ("Second US D2D Dom", "SecondDay"),
           ("Next US D2D Dom", "NextDay"))
OPEN = ("Pending", "Unshipped", "PartiallyShipped")


def build_catalog(seed: int) -> dict[str, CatalogItem]:
    rng = random.Random(f"{seed}/catalog")
    catalog: dict[str, CatalogItem] = {}
    for n in range(40):
        adj, noun = rng.choice(_ADJ), rng.choice(_NOUN)
        sku = f"SBX-{noun.split()[0].upper()}-{n + 1:03d}"
        asin = "B0" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
        catalog[sku] = CatalogItem(sku, asin, f"{adj} {noun}", rng.randrange(499, 14999, 100), rng.randrange(0, 200))
    return catalog


# A Japanese seller's catalog (the JP demo seller): titles in Japanese, prices in yen. "～" and "①" are
# characters of Windows-31J that plain Shift_JIS maps differently or lacks (reports.md §4).
_JP_TITLES = ("ステンレス 電気ケトル 1.0L", "竹製 まな板 (大)", "今治タオル バスタオル 2枚組", "南部鉄器 急須 0.65L",
              "ワイヤレス イヤホン ブラック", "宇治抹茶 100g ～ 茶道用", "木製 ブックスタンド ① 卓上", "保温 マグカップ 350ml")


def build_jp_catalog(seed: int) -> dict[str, CatalogItem]:
    rng = random.Random(f"{seed}/catalog/jp")
    catalog: dict[str, CatalogItem] = {}
    for n, title in enumerate(_JP_TITLES):
        sku = f"SBX-JP-{n + 1:03d}"
        asin = "B0" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
        catalog[sku] = CatalogItem(sku, asin, title, rng.randrange(980, 9980, 100) * 100, rng.randrange(1, 50),
                                   currency="JPY")
    return catalog


class OrderFactory:
    """Makes realistic orders from a seeded random source, keeping ids unique."""

    def __init__(self, book: OrderBook) -> None:
        self.book = book

    def new_id(self, rng: random.Random, marketplace_id: str) -> str:
        prefixes = ("701", "702") if marketplace_id == "A2EUQ1WTGCTBG2" else ("111", "112", "113", "114")
        while True:
            oid = f"{rng.choice(prefixes)}-{rng.randrange(10**6, 10**7)}-{rng.randrange(10**6, 10**7)}"
            if oid not in self.book.orders:
                return oid

    def make(self, rng: random.Random, *, marketplace_id: str, purchase_ms: int, last_update_ms: int,
             status: str) -> Order:
        canadian = marketplace_id == "A2EUQ1WTGCTBG2"
        city, state, postal = rng.choice(_CA if canadian else _US)
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        afn = rng.random() < 0.3
        level, category = _LEVELS[0] if afn else rng.choice(_LEVELS)
        address = Address(f"{first} {last}", f"{rng.randrange(1, 9999)} {rng.choice(_LAST)} St.", city, state,
                          postal, "CA" if canadian else "US", f"+1 555-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}")
        order = Order(
            amazon_order_id=self.new_id(rng, marketplace_id), marketplace_id=marketplace_id,
            purchase_ms=purchase_ms, last_update_ms=last_update_ms, status=status,
            fulfillment_channel="AFN" if afn else "MFN", ship_service_level=level, category=category,
            buyer_name=f"{first} {last}",
            buyer_email=f"{''.join(rng.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(14))}"
                        f"@marketplace.amazon.{'ca' if canadian else 'com'}",
            address=address, currency="CAD" if canadian else "USD",
            is_business=rng.random() < 0.1, is_prime=afn and rng.random() < 0.6, is_premium=rng.random() < 0.05,
        )
        count = rng.randint(6, 9) if rng.random() < 0.07 else rng.choice((1, 1, 1, 2, 2, 3))
        skus = rng.sample(sorted(self.book.catalog), count)
        for sku in skus:
            entry = self.book.catalog[sku]
            qty = rng.choice((1, 1, 1, 2, 3))
            price = entry.price_cents * qty
            order.items.append(OrderItem(
                order_item_id=str(rng.randrange(10**13, 10**14)), asin=entry.asin, sku=sku, title=entry.title,
                quantity_ordered=qty, quantity_shipped=0, price_cents=price, tax_cents=price * 8 // 100,
                shipping_cents=0 if afn else 499, promotion_cents=499 if (not afn and rng.random() < 0.1) else 0,
                is_gift=rng.random() < 0.05))
        set_status(order, status, rng)
        return order


def set_status(order: Order, status: str, rng: random.Random) -> None:
    """Move an order to `status`, keeping QuantityShipped and the item counts consistent."""
    order.status = status
    if status == "PartiallyShipped" and sum(i.quantity_ordered for i in order.items) < 2:
        order.status = status = "Shipped"
    for n, item in enumerate(order.items):
        if status == "Shipped":
            item.quantity_shipped = item.quantity_ordered
        elif status == "PartiallyShipped":
            item.quantity_shipped = item.quantity_ordered if n == 0 else 0
            if len(order.items) == 1:
                item.quantity_shipped = item.quantity_ordered - 1
        else:
            item.quantity_shipped = 0


def seed_orders(book: OrderBook, seed: int, start_ms: int) -> None:
    """250 orders last updated over the 30 days before start; every 20th in the Canadian marketplace."""
    rng = random.Random(f"{seed}/orders")
    factory = OrderFactory(book)
    weights = (("Shipped", 55), ("Unshipped", 15), ("PartiallyShipped", 5), ("Pending", 10), ("Canceled", 15))
    statuses = [s for s, w in weights for _ in range(w)]
    for n in range(SEEDED_ORDERS):
        last_update = start_ms - rng.randrange(60_000, 30 * DAY_MS)
        status = rng.choice(statuses)
        purchase = last_update if status == "Pending" else last_update - rng.randrange(0, 3 * DAY_MS)
        marketplace = "A2EUQ1WTGCTBG2" if n % 20 == 7 else "ATVPDKIKX0DER"
        book.add(factory.make(rng, marketplace_id=marketplace, purchase_ms=purchase,
                              last_update_ms=last_update, status=status))


class OrderGenerator:
    """Adds or updates one order every `every_ms` of sandbox time after `start_ms`."""

    def __init__(self, seed: int, start_ms: int, every_ms: int) -> None:
        self.seed, self.start_ms, self.every_ms = seed, start_ms, every_ms
        self.applied = 0

    def apply_until(self, book: OrderBook, now_ms: int) -> int:
        if self.every_ms <= 0:
            return 0
        due = (now_ms - self.start_ms) // self.every_ms
        done = 0
        while self.applied < due:
            self.applied += 1
            self._event(book, self.applied)
            done += 1
        return done

    def _event(self, book: OrderBook, k: int) -> None:
        rng = random.Random(f"{self.seed}/event/{k}")
        at = self.start_ms + k * self.every_ms
        open_ids = sorted(oid for oid, o in book.orders.items() if o.status in OPEN)
        if not open_ids or rng.random() < 0.5:
            marketplace = "A2EUQ1WTGCTBG2" if rng.random() < 0.05 else "ATVPDKIKX0DER"
            status = "Pending" if rng.random() < 0.4 else "Unshipped"
            book.add(OrderFactory(book).make(rng, marketplace_id=marketplace, purchase_ms=at,
                                             last_update_ms=at, status=status))
            return
        order = book.orders[rng.choice(open_ids)]
        roll = rng.random()
        if order.status == "Pending":
            target = "Canceled" if roll < 0.1 else "Unshipped"
        elif order.status == "Unshipped":
            target = "Canceled" if roll < 0.05 else ("PartiallyShipped" if roll < 0.25 else "Shipped")
        else:
            target = "Shipped"
        set_status(order, target, rng)
        book.touch(order, at)
