"""Report bodies from a seller's state: Amazon's tab-separated flat files, in the marketplace's charset.

Each report type of the wire model (app/model/mws/reports.json "reportTypes") has its header line
there, in Amazon's column order; a row builder here fills it:

- listings (_GET_MERCHANT_LISTINGS_ALL_DATA_, _GET_MERCHANT_LISTINGS_DATA_ = active ones): one row per
  catalog SKU; a snapshot, the dates are ignored;
- orders (_GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL_): one row per item of every order of
  the request's marketplaces whose LastUpdateDate is in [StartDate, EndDate];
- FBA inventory (_GET_AFN_INVENTORY_DATA_): the Amazon-fulfilled SKUs;
- settlement (_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_): a summary row, then the amounts of every
  order shipped in the period, with synthetic fees (15 % commission; 3.00 per FBA unit).

The body is the header line and the rows, tab-separated, no quoting, `\\n` after each line, encoded in
the report's charset (wire.report_charset: Windows-31J in JP, Cp1252 elsewhere); what the charset
cannot hold becomes `?`, as Amazon's own reports show (reports.md §4). A report with no rows is no
report (_DONE_NO_DATA_). Which SKUs Amazon fulfils, listing ids and open dates are derived from the
SKU, so a SKU keeps them from report to report. Dates in listings are UTC ("2024-03-01 10:00:00 UTC").
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Callable, Iterable

from ...state import CatalogItem, OrderBook, SellerStates
from .. import wire
from ..feeds.models import feed_date

ROW_FILLERS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LISTED_SINCE = 1_704_067_200_000          # 2024-01-01: open dates fall in the 700 days after it
_FBA_FEE_CENTS = 300
_COMMISSION = 0.15


def _digest(sku: str) -> bytes:
    return hashlib.sha1(sku.encode("utf-8")).digest()


def _code(sku: str, salt: str, length: int) -> str:
    number = int.from_bytes(hashlib.sha1(f"{salt}/{sku}".encode("utf-8")).digest()[:8], "big")
    out = ""
    for _ in range(length):
        number, digit = divmod(number, 36)
        out += _ALNUM[digit]
    return out


def fulfilled_by_amazon(item: CatalogItem) -> bool:
    """About one SKU in four is Amazon-fulfilled, the same one every time."""
    return _digest(item.sku)[0] % 4 == 0


def money(cents: int, currency: str) -> str:
    """12.99, -1.85; yen have no decimals (1980)."""
    if currency == "JPY":
        return str(cents // 100)
    sign, cents = ("-", -cents) if cents < 0 else ("", cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _utc(ms: int, form: str = "%Y-%m-%d %H:%M:%S UTC") -> str:
    return datetime.fromtimestamp(ms // 1000, tz=timezone.utc).strftime(form)


# -- rows per report type -----------------------------------------------------------------------------
def listing_rows(book: OrderBook, marketplace_id: str, active_only: bool) -> list[dict[str, str]]:
    rows = []
    for item in book.catalog.values():
        afn = fulfilled_by_amazon(item)
        active = item.available is not False and (afn or item.quantity > 0)
        if active_only and not active:
            continue
        digest = _digest(item.sku)
        opened = _LISTED_SINCE + (int.from_bytes(digest[1:3], "big") % 700 * 86_400 + int.from_bytes(
            digest[3:6], "big") % 86_400) * 1000
        rows.append({
            "item-name": item.title, "listing-id": _utc(opened, "%m%d") + _code(item.sku, "listing", 7),
            "seller-sku": item.sku, "price": money(item.price_cents, item.currency),
            "quantity": "" if afn else str(item.quantity), "open-date": _utc(opened),
            "item-is-marketplace": "y", "product-id-type": "1", "item-condition": "11", "asin1": item.asin,
            "product-id": item.asin, "pending-quantity": "0",
            "fulfillment-channel": _afn_channel(marketplace_id) if afn else "DEFAULT",
            "merchant-shipping-group": "" if afn else "Migrated Template",
            "status": "Active" if active else "Inactive"})
    return rows


def afn_inventory_rows(book: OrderBook) -> list[dict[str, str]]:
    return [{"seller-sku": item.sku, "fulfillment-channel-sku": "X00" + _code(item.sku, "fnsku", 7),
             "asin": item.asin, "condition-type": "NewItem", "Warehouse-Condition-code": "SELLABLE",
             "Quantity Available": str(item.quantity)}
            for item in book.catalog.values() if fulfilled_by_amazon(item)]


_ORDER_STATUS = {"Canceled": "Cancelled", "PartiallyShipped": "Shipping"}


def order_rows(book: OrderBook, marketplaces: tuple[str, ...], start_ms: int, end_ms: int) -> list[dict[str, str]]:
    orders = book.select(date_field="updated", after_ms=start_ms, before_ms=end_ms + 1, marketplaces=set(marketplaces))
    rows = []
    for order in orders:
        for item in order.items:
            status = ("Cancelled" if order.status == "Canceled" else
                      "Shipped" if item.quantity_shipped >= item.quantity_ordered else "Unshipped")
            c = order.currency
            rows.append({
                "amazon-order-id": order.amazon_order_id, "merchant-order-id": order.merchant_order_id or "",
                "purchase-date": feed_date(order.purchase_ms), "last-updated-date": feed_date(order.last_update_ms),
                "order-status": _ORDER_STATUS.get(order.status, order.status),
                "fulfillment-channel": "Amazon" if order.fulfillment_channel == "AFN" else "Merchant",
                "sales-channel": _market_name(order.marketplace_id), "ship-service-level": order.category,
                "product-name": item.title, "sku": item.sku, "asin": item.asin, "item-status": status,
                "quantity": str(item.quantity_ordered), "currency": c, "item-price": money(item.price_cents, c),
                "item-tax": money(item.tax_cents, c), "shipping-price": money(item.shipping_cents, c),
                "shipping-tax": money(0, c),
                "item-promotion-discount": money(-item.promotion_cents, c) if item.promotion_cents else "",
                "ship-city": order.address.city, "ship-state": order.address.state,
                "ship-postal-code": order.address.postal_code, "ship-country": order.address.country,
                "is-business-order": "true" if order.is_business else "false",
                "price-designation": "BusinessPrice" if order.is_business else ""})
    return rows


def settlement_rows(book: OrderBook, marketplace_id: str, seller_id: str, start_ms: int,
                    end_ms: int) -> list[dict[str, str]]:
    orders = [o for o in book.select(date_field="updated", after_ms=start_ms, before_ms=end_ms,
                                     marketplaces={marketplace_id}) if o.status == "Shipped"]
    if not orders:
        return []
    currency = orders[0].currency
    lines: list[dict[str, str]] = []
    total = 0
    for order in orders:
        for item in order.items:
            base = {"transaction-type": "Order", "order-id": order.amazon_order_id,
                    "merchant-order-id": order.merchant_order_id or "", "shipment-id": "",
                    "marketplace-name": _market_name(order.marketplace_id),
                    "fulfillment-id": order.fulfillment_channel, "posted-date": _utc(order.last_update_ms, "%Y-%m-%d"),
                    "order-item-code": item.order_item_id, "sku": item.sku}
            amounts = [("ItemPrice", "Principal", item.price_cents), ("ItemPrice", "Tax", item.tax_cents),
                       ("ItemPrice", "Shipping", item.shipping_cents),
                       ("ItemFees", "Commission", -round(item.price_cents * _COMMISSION)),
                       ("ItemFees", "FBAPerUnitFulfillmentFee",
                        -_FBA_FEE_CENTS * item.quantity_ordered if order.fulfillment_channel == "AFN" else 0),
                       ("Promotion", "Principal", -item.promotion_cents)]
            for amount_type, description, cents in amounts:
                if cents or description == "Principal" and amount_type == "ItemPrice":
                    total += cents
                    lines.append({**base, "amount-type": amount_type, "amount-description": description,
                                  "amount": money(cents, currency),
                                  "quantity-purchased": str(item.quantity_ordered) if description == "Principal"
                                  and amount_type == "ItemPrice" else ""})
    settlement_id = str(int.from_bytes(hashlib.sha1(f"{seller_id}/{marketplace_id}/{start_ms}".encode()).digest()[:5],
                                       "big") % 10**11)
    summary = {"settlement-id": settlement_id, "settlement-start-date": _utc(start_ms),
               "settlement-end-date": _utc(end_ms), "deposit-date": _utc(end_ms + 2 * 86_400_000),
               "total-amount": money(total, currency), "currency": currency}
    return [summary] + [{"settlement-id": settlement_id, **line} for line in lines]


# -- bodies ---------------------------------------------------------------------------------------------
def flat_file(columns: Iterable[str], rows: Iterable[dict[str, str]], codec: str) -> bytes:
    """Header and rows, tab-separated, one `\\n` after each line; unencodable characters become `?`."""
    columns = list(columns)
    lines = ["\t".join(columns)]
    lines += ["\t".join(str(row.get(c, "")).translate(ROW_FILLERS) for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode(codec, errors="replace")


def generator(states: SellerStates) -> Callable[[str, str, tuple[str, ...], int, int], tuple[bytes, str] | None]:
    """What makes a report when its request completes: (body, declared charset), or None for no data."""
    def make(report_type: str, seller_id: str, marketplaces: tuple[str, ...], start_ms: int,
             end_ms: int) -> tuple[bytes, str] | None:
        kind = wire.report_types()[report_type]
        book = states.of(seller_id)
        home = marketplaces[0]
        window = kind["window"]
        if window == "lastUpdated":
            rows = order_rows(book, marketplaces, start_ms, end_ms)
        elif window == "settlement":
            rows = settlement_rows(book, home, seller_id, start_ms, end_ms)
        elif "listings" in kind:
            rows = listing_rows(book, home, kind["listings"] == "active")
        else:
            rows = afn_inventory_rows(book)
        if not rows:
            return None
        charset, codec = wire.report_charset(report_type, home)
        return flat_file(kind["columns"], rows, codec), charset
    return make


def markets(states: SellerStates) -> Callable[[int, int], set[tuple[str, str]]]:
    """(seller, marketplace) pairs with orders last updated in [start, end): who gets a settlement."""
    def pairs(start_ms: int, end_ms: int) -> set[tuple[str, str]]:
        return {(seller_id, o.marketplace_id) for seller_id, book in states for o in book.orders.values()
                if start_ms <= o.last_update_ms < end_ms and o.status == "Shipped"}
    return pairs


def _market_name(marketplace_id: str) -> str:
    facts = wire.marketplaces().get(marketplace_id)
    return facts.name if facts else marketplace_id


def _afn_channel(marketplace_id: str) -> str:
    """The fulfillment-channel of an Amazon-fulfilled listing: AMAZON_JP, AMAZON_EU or AMAZON_NA."""
    if marketplace_id == "A1VC38T7YXB528":
        return "AMAZON_JP"
    return "AMAZON_EU" if wire.marketplace_region(marketplace_id) == "EU" else "AMAZON_NA"
