"""Listings attributes the sandbox understands, checked and applied to the shared catalog.

The mapping is sp-api.md §5's table read backwards, so a JSON listings patch changes the very
fields an MWS feed changes and `/sandbox/admin/state` shows them the same way:

| attribute | catalog field |
|---|---|
| fulfillment_availability (DEFAULT channel) | quantity, available, fulfillment_latency, restock_date |
| purchasable_offer | price (our_price), currency, sale (discounted_price) |
| main_ / other_…_1–8 / swatch_product_image_locator | images["Main" / "PT1"–"PT8" / "Swatch"] |
| child_parent_sku_relationship | the parent's relations[child] |
| item_name | title |

Values are checked for the types Amazon's product type schemas give them (a quantity is a whole
number, a price a number with a currency, a locator a URL); any other attribute is accepted
unchecked, as the sandbox does not know product type definitions. A problem is a message for the
report; a message with any problem changes nothing.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from .seams import CatalogItem

IMAGE_TYPES = {"main_product_image_locator": "Main", "swatch_product_image_locator": "Swatch",
               **{f"other_product_image_locator_{n}": f"PT{n}" for n in range(1, 9)}}
PRICE_LISTS = ("our_price", "discounted_price", "minimum_seller_allowed_price", "maximum_seller_allowed_price")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _fulfillment(entry: dict[str, Any]) -> list[str]:
    problems = []
    if not isinstance(entry.get("fulfillment_channel_code"), str) or not entry.get("fulfillment_channel_code"):
        problems.append("'fulfillment_channel_code' is required and must be a string")
    for key in ("quantity", "lead_time_to_ship_max_days"):
        if key in entry and not _whole(entry[key]):
            problems.append(f"'{key}' must be a whole number of 0 or more, not {entry[key]!r}")
    if "is_inventory_available" in entry and not isinstance(entry["is_inventory_available"], bool):
        problems.append("'is_inventory_available' must be true or false")
    if "restock_date" in entry and not isinstance(entry["restock_date"], str):
        problems.append("'restock_date' must be a date string")
    return problems


def _offer(entry: dict[str, Any]) -> list[str]:
    problems = []
    prices = [key for key in PRICE_LISTS if key in entry]
    if prices and not (isinstance(entry.get("currency"), str) and len(entry["currency"]) == 3):
        problems.append("'currency' (a 3-letter code) is required with a price")
    for key in prices:
        lists = entry[key]
        schedules = [s for p in lists if isinstance(p, dict) for s in (p.get("schedule") or [])] \
            if isinstance(lists, list) else []
        if not schedules or not all(isinstance(s, dict) and _number(s.get("value_with_tax")) for s in schedules):
            problems.append(f"'{key}' needs [{{\"schedule\": [{{\"value_with_tax\": <number>}}]}}]")
    return problems


def _locator(entry: dict[str, Any]) -> list[str]:
    location = entry.get("media_location")
    if not isinstance(location, str) or not location.startswith(("http://", "https://")):
        return ["'media_location' must be an http(s) URL"]
    return []


def _enum(key: str, allowed: tuple[str, ...]) -> Callable[[dict[str, Any]], list[str]]:
    def check(entry: dict[str, Any]) -> list[str]:
        return [] if entry.get(key) in allowed else [f"'{key}' must be one of {', '.join(allowed)}"]
    return check


def _string(key: str) -> Callable[[dict[str, Any]], list[str]]:
    def check(entry: dict[str, Any]) -> list[str]:
        return [] if isinstance(entry.get(key), str) and entry[key] else [f"'{key}' must be a non-empty string"]
    return check


CHECKS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "fulfillment_availability": _fulfillment, "purchasable_offer": _offer, "item_name": _string("value"),
    "parentage_level": _enum("value", ("parent", "child")), "variation_theme": _string("name"),
    "child_parent_sku_relationship": lambda e: _string("parent_sku")(e) + _enum(
        "child_relationship_type", ("variation", "package_hierarchy"))(e),
    **{name: _locator for name in IMAGE_TYPES},
}


def check(name: str, op: str, value: Any, marketplaces: tuple[str, ...], catalog: dict[str, CatalogItem]) -> list[str]:
    """What is wrong with `op` of `value` on attribute `name` (empty: nothing)."""
    if op == "delete" and value is None:
        return []
    if not isinstance(value, list) or not value or not all(isinstance(e, dict) for e in value):
        return [f"the value of '{name}' must be a non-empty array of objects"]
    problems = []
    for entry in value:
        marketplace = entry.get("marketplace_id")
        if marketplace is not None and marketplace not in marketplaces:
            problems.append(f"marketplace_id {marketplace!r} is not one of the feed's marketplaceIds")
        if op != "delete":
            problems += CHECKS.get(name, lambda e: [])(entry)
        parent = entry.get("parent_sku") if name == "child_parent_sku_relationship" else None
        if isinstance(parent, str) and op != "delete" and parent not in catalog:
            problems.append(f"parent_sku {parent!r} does not exist in the seller's catalog")
    return problems


def _cents(value: float | int) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


def apply(catalog: dict[str, CatalogItem], sku: str, name: str, op: str, value: list[dict[str, Any]] | None) -> None:
    """Change the catalog for one checked patch (`op`: add, replace, merge or delete)."""
    item = catalog[sku]
    entries = value or []
    if name == "fulfillment_availability":
        if op == "delete":
            item.quantity, item.available = 0, None
            return
        entry = next((e for e in entries if e.get("fulfillment_channel_code") == "DEFAULT"), None)
        if entry is None:           # Amazon-fulfilled channels: Amazon counts that stock, not the seller
            return
        if "quantity" in entry:
            item.quantity, item.available = entry["quantity"], None
        if "is_inventory_available" in entry:
            item.available = entry["is_inventory_available"]
            item.quantity = item.quantity if item.available else 0
        for key, attr in (("lead_time_to_ship_max_days", "fulfillment_latency"), ("restock_date", "restock_date")):
            if key in entry or op != "merge":          # replace/add: what is not given is gone
                setattr(item, attr, entry.get(key))
    elif name == "purchasable_offer":
        if op == "delete":
            item.sale = None
            return
        entry = entries[0]
        if "our_price" in entry:
            item.price_cents = _cents(entry["our_price"][0]["schedule"][0]["value_with_tax"])
            item.currency = entry["currency"]
        if "discounted_price" in entry:
            slot = entry["discounted_price"][0]["schedule"][0]
            item.sale = {"price": f"{_cents(slot['value_with_tax']) / 100:.2f}", "currency": entry["currency"],
                         "start": slot.get("start_at") or "", "end": slot.get("end_at") or ""}
        elif op != "merge":
            item.sale = None
    elif name in IMAGE_TYPES:
        if op == "delete":
            item.images.pop(IMAGE_TYPES[name], None)
        else:
            item.images[IMAGE_TYPES[name]] = entries[0]["media_location"]
    elif name == "child_parent_sku_relationship":
        for other in catalog.values():            # a child has one parent: leave the old one first
            other.relations.pop(sku, None)
        if op != "delete":
            kind = entries[0]["child_relationship_type"]
            catalog[entries[0]["parent_sku"]].relations[sku] = "Variation" if kind == "variation" else "PackageHierarchy"
    elif name == "item_name" and op != "delete":
        item.title = entries[0]["value"]
