"""Running an XML feed when it is done: check it, apply its accepted messages to the seller's state,
write the processing report (flat-file feeds go to flat.py).

A document that is not well-formed (5001) or fails the envelope as a whole (5000) is rejected with
one Result of MessageID 0 and nothing is processed. Otherwise each Message is checked on its own:
an XSD error in it, an unknown SKU (13013) or an order the sandbox does not have (18028) gives an
Error Result and leaves the state alone; an accepted message changes the catalog or the order.
Codes and texts follow Amazon's processing reports (mws-api.md §4.4); the sandbox picks the closest
real code where it does not know Amazon's exact one.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

from lxml import etree

from ...state import CatalogItem, Order, OrderBook
from ...state.seed import OPEN, set_status
from .. import wire
from . import flat
from .models import Feed
from .parse import parse_feed
from .report import UNKNOWN_SKU, Result, report_xml

ORDER_NOT_FOUND = ("Your order cannot be found using Merchant ID {merchant}, Amazon Order ID {order}. "
                   "Please check the order ID and try again.")


@dataclass
class Ctx:
    book: OrderBook                  # the seller's state
    feed: Feed
    at_ms: int                       # when the feed completes: the time its changes happen

    @property
    def catalog(self) -> dict[str, CatalogItem]:
        return self.book.catalog


def _text(el: etree._Element | None, path: str) -> str | None:
    found = None if el is None else el.find(path)
    return None if found is None or found.text is None else found.text.strip()


def _cents(value: str | None) -> int | None:
    try:
        return None if value is None else int((Decimal(value) * 100).to_integral_value())
    except InvalidOperation:
        return None


def _invalid(mid: int, what: str, sku: str | None = None) -> Result:
    return Result(mid, 5000, f"XML Parsing Error: {what}", sku=sku)


def _unknown(mid: int, sku: str | None, what: str) -> Result:
    return Result(mid, 13013, UNKNOWN_SKU.format(what=what), sku=sku)


def inventory(ctx: Ctx, mid: int, op: str, el: etree._Element) -> list[Result]:
    sku = _text(el, "SKU")
    item = ctx.catalog.get(sku or "")
    if item is None:
        return [_unknown(mid, sku, "inventory")]
    quantity, latency = _text(el, "Quantity"), _text(el, "FulfillmentLatency")
    if (quantity is not None and not quantity.isdigit()) or (latency is not None and not latency.isdigit()):
        return [_invalid(mid, "Quantity and FulfillmentLatency must be whole numbers", sku)]
    if quantity is not None:
        item.quantity, item.available = int(quantity), None
    if (available := _text(el, "Available")) is not None:
        item.available = available in ("true", "1")
        item.quantity = item.quantity if item.available else 0
    if latency is not None:
        item.fulfillment_latency = int(latency)
    item.restock_date = _text(el, "RestockDate") or item.restock_date
    return []


def price(ctx: Ctx, mid: int, op: str, el: etree._Element) -> list[Result]:
    sku = _text(el, "SKU")
    item = ctx.catalog.get(sku or "")
    if item is None:
        return [_unknown(mid, sku, "pricing")]
    standard, sale = el.find("StandardPrice"), el.find("Sale")
    cents = _cents(_text(el, "StandardPrice"))
    if standard is not None and cents is None:
        return [_invalid(mid, "StandardPrice must be a decimal amount", sku)]
    sale_cents = _cents(_text(sale, "SalePrice"))
    if sale is not None and sale_cents is None:
        return [_invalid(mid, "Sale must have a SalePrice", sku)]
    if standard is not None and cents is not None:
        item.price_cents, item.currency = cents, standard.get("currency", item.currency)
    if sale is not None and sale_cents is not None:
        currency = sale.find("SalePrice").get("currency", item.currency)
        item.sale = {"price": f"{sale_cents / 100:.2f}", "currency": currency,
                     "start": _text(sale, "StartDate") or "", "end": _text(sale, "EndDate") or ""}
    return []


def product_image(ctx: Ctx, mid: int, op: str, el: etree._Element) -> list[Result]:
    sku, image_type, location = _text(el, "SKU"), _text(el, "ImageType"), _text(el, "ImageLocation")
    item = ctx.catalog.get(sku or "")
    if item is None:
        return [_unknown(mid, sku, "image")]
    if not image_type:
        return [_invalid(mid, "ImageType is required", sku)]
    if op == "Delete":
        item.images.pop(image_type, None)
    elif not location:
        return [_invalid(mid, "ImageLocation is required to update an image", sku)]
    else:
        item.images[image_type] = location
    return []


def relationship(ctx: Ctx, mid: int, op: str, el: etree._Element) -> list[Result]:
    parent = _text(el, "ParentSKU")
    if parent not in ctx.catalog:
        return [_unknown(mid, parent, "relationship")]
    relations = [(_text(r, "SKU") or "", _text(r, "Type") or "Variation") for r in el.findall("Relation")]
    missing = [_unknown(mid, child, "relationship") for child, _ in relations if child not in ctx.catalog]
    if missing:
        return missing
    item = ctx.catalog[parent or ""]
    for child, kind in relations:
        if op == "Delete":
            item.relations.pop(child, None)
        else:
            item.relations[child] = kind
    return []


def product(ctx: Ctx, mid: int, op: str, el: etree._Element) -> list[Result]:
    sku = _text(el, "SKU")
    if not sku:
        return [_invalid(mid, "SKU is required")]
    if op == "Delete":
        ctx.catalog.pop(sku, None)
        return []
    title = _text(el, "DescriptionData/Title")
    data = el.find("ProductData")
    category = next((etree.QName(c).localname for c in data if isinstance(c.tag, str)), None) \
        if data is not None else None
    item = ctx.catalog.get(sku)
    if item is None:
        if not title:
            return [Result(mid, 8560, f"SKU {sku}, Missing Attributes item_name. SKU {sku} does not match any ASIN "
                                      "and contains invalid values for attributes required for creation of a new ASIN.",
                           sku=sku)]
        asin = _text(el, "StandardProductID/Value") if _text(el, "StandardProductID/Type") == "ASIN" else None
        asin = asin or "B0" + hashlib.sha1(sku.encode()).hexdigest().upper()[:8]
        ctx.catalog[sku] = item = CatalogItem(sku, asin, title, 0, 0)
    item.title = title or item.title
    item.category = category or item.category
    return []


def _order(ctx: Ctx, el: etree._Element) -> Order | None:
    oid, merchant_oid = _text(el, "AmazonOrderID"), _text(el, "MerchantOrderID")
    found = ctx.book.get(oid) if oid else next(
        (o for o in ctx.book.orders.values() if merchant_oid and o.merchant_order_id == merchant_oid), None)
    return found if found is not None and found.marketplace_id in ctx.feed.marketplaces else None


def _not_found(ctx: Ctx, mid: int, el: etree._Element) -> Result:
    oid = _text(el, "AmazonOrderID") or _text(el, "MerchantOrderID")
    return Result(mid, 18028, ORDER_NOT_FOUND.format(merchant=ctx.feed.merchant_id, order=oid),
                  order_id=_text(el, "AmazonOrderID"))


def _touch(ctx: Ctx, order: Order) -> None:
    """Move LastUpdateDate so a polling trigger's next window sees the change."""
    ctx.book.touch(order, max(ctx.at_ms, order.last_update_ms + 1))


def order_acknowledgement(ctx: Ctx, mid: int, op: str, el: etree._Element) -> list[Result]:
    order = _order(ctx, el)
    if order is None:
        return [_not_found(ctx, mid, el)]
    order.acknowledged = True
    order.merchant_order_id = _text(el, "MerchantOrderID") or order.merchant_order_id
    if _text(el, "StatusCode") == "Failure" and order.status != "Canceled":
        set_status(order, "Canceled", random.Random(0))
        _touch(ctx, order)
    return []


def order_fulfillment(ctx: Ctx, mid: int, op: str, el: etree._Element) -> list[Result]:
    order = _order(ctx, el)
    if order is None:
        return [_not_found(ctx, mid, el)]
    if order.status in OPEN:
        set_status(order, "Shipped", random.Random(0))
        _touch(ctx, order)
    return []


APPLIERS: dict[str, Callable[[Ctx, int, str, etree._Element], list[Result]]] = {
    "Inventory": inventory, "Price": price, "ProductImage": product_image, "Relationship": relationship,
    "Product": product, "OrderAcknowledgement": order_acknowledgement, "OrderFulfillment": order_fulfillment,
}


def process_feed(feed: Feed, book: OrderBook, xsd_dir: Path | None) -> bytes:
    """Apply `feed` to the seller's state `book` and return its processing report."""
    kind = wire.feed_types()[feed.feed_type]
    at_ms = feed.completed_ms or feed.submitted_ms
    if kind["format"] == "flat":
        return flat.process(feed, book.catalog)
    message_type = kind["messageType"]
    parsed = parse_feed(feed.body, message_type, xsd_dir)
    if parsed.fatal is not None or parsed.document:
        if parsed.fatal is not None:
            p = parsed.fatal
            result = Result(0, 5001, f"XML Parsing Fatal Error at Line {p.line}, Column {p.column}: {p.message}")
        else:
            p = parsed.document[0]
            result = Result(0, 5000, "The XML you submitted is ill-formed at the Amazon Envelope XML level at "
                                     f"(or near) line {p.line}, column {p.column}. {p.message}")
        return report_xml(feed.feed_id, feed.merchant_id, 0, [result])
    ctx = Ctx(book, feed, at_ms)
    results: list[Result] = []
    for n, message in enumerate(parsed.messages):
        raw_id = _text(message, "MessageID") or "0"
        mid = int(raw_id) if raw_id.isdigit() else 0
        payload = message.find(message_type)
        if n in parsed.per_message or payload is None:
            problems = parsed.per_message.get(n) or []
            for p in problems or [None]:  # type: ignore[list-item]  # None: the payload itself is missing
                what = f"at Line {p.line}, Column {p.column}: {p.message}" if p else f"no {message_type} element"
                results.append(_invalid(mid, what, _text(payload, "SKU")))
            continue
        applier = APPLIERS.get(message_type)
        if applier is not None:        # other message types are accepted as they are
            results.extend(applier(ctx, mid, _text(message, "OperationType") or "Update", payload))
    return report_xml(feed.feed_id, feed.merchant_id, len(parsed.messages), results)
