"""Flat-file feeds: a tab-separated body in, a tab-separated processing report out, as Amazon does.

Served FeedTypes are the wire model's `"format": "flat"` entries (app/model/mws/feeds.json):
_POST_FLAT_FILE_INVLOADER_DATA_ and _POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA_. The body is
an inventory-loader file: optional `TemplateType=...` lines, a header row naming the columns (`sku`
is required; `quantity`, `price`, `add-delete` and `fulfillment-latency` are applied), then one record
per line. Records are numbered from 1 in file order (`original-record-number`). A record for an
unknown SKU gets 13013, a blank or bad value 99001 / 99006 (the closest known codes); a good record
changes the seller's catalog, `add-delete` d or x removes the SKU.

The report (mws-api.md §4.4):

    Feed Processing Summary:
    <TAB>Number of records processed<TAB><TAB>2
    <TAB>Number of records successful<TAB><TAB>1

    original-record-number<TAB>sku<TAB>error-code<TAB>error-type<TAB>error-message
    2<TAB>SKU-X<TAB>13013<TAB>Error<TAB>This SKU does not exist ...
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ...state import CatalogItem
from .models import Feed
from .report import UNKNOWN_SKU, Result

COLUMNS = ("original-record-number", "sku", "error-code", "error-type", "error-message")
NO_HEADER = "The file has no header row with a sku column; check that you used the correct template"


def process(feed: Feed, catalog: dict[str, CatalogItem]) -> bytes:
    """Apply the flat file `feed` to `catalog` and return its tab-separated processing report."""
    text = feed.body.decode("utf-8-sig", errors="replace")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("TemplateType=")]
    header = [cell.strip().lower() for cell in lines[0].split("\t")] if lines else []
    if "sku" not in header:
        return report(0, [Result(0, 99001, NO_HEADER)])
    results: list[Result] = []
    records = lines[1:]
    for number, line in enumerate(records, start=1):
        row = dict(zip(header, (cell.strip() for cell in line.split("\t"))))
        results.extend(_apply(number, row, catalog))
    return report(len(records), results)


def _apply(number: int, row: dict[str, str], catalog: dict[str, CatalogItem]) -> list[Result]:
    sku = row.get("sku", "")
    if not sku:
        return [Result(number, 99001, "A value is required in the sku field.")]
    item = catalog.get(sku)
    if item is None:
        return [Result(number, 13013, UNKNOWN_SKU.format(what="inventory"), sku=sku)]
    if row.get("add-delete", "a").lower() in ("d", "x"):
        del catalog[sku]
        return []
    quantity, latency, price = row.get("quantity", ""), row.get("fulfillment-latency", ""), row.get("price", "")
    for name, value in (("quantity", quantity), ("fulfillment-latency", latency)):
        if value and not value.isdigit():
            return [Result(number, 99006, f"The value '{value}' in the {name} field is not a whole number.", sku=sku)]
    try:
        cents = int((Decimal(price) * 100).to_integral_value()) if price else None
    except InvalidOperation:
        return [Result(number, 99006, f"The value '{price}' in the price field is not a price.", sku=sku)]
    if quantity:
        item.quantity, item.available = int(quantity), None
    if latency:
        item.fulfillment_latency = int(latency)
    if cents is not None:
        item.price_cents = cents
    return []


def report(processed: int, results: list[Result]) -> bytes:
    failed = {r.message_id for r in results if r.result_code == "Error"}
    successful = max(0, processed - len(failed - {0}))
    lines = ["Feed Processing Summary:",
             f"\tNumber of records processed\t\t{processed}",
             f"\tNumber of records successful\t\t{successful}",
             "",
             "\t".join(COLUMNS)]
    lines += ["\t".join([str(r.message_id), r.sku or "", str(r.code), r.result_code, r.description])
              for r in results]
    return ("\n".join(lines) + "\n").encode("utf-8")
