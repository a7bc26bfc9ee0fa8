"""JSON listings feeds (SP-API `JSON_LISTINGS_FEED`, version 2.0): the same input bodies as the XML
feeds, mapped by the table of sp-api.md §5, one builder per action kind.

    document = listings_feed(INVENTORY, messages, seller_id, marketplace_id, single=False)

Each builder turns one input message into listings messages (a PATCH of `/attributes/...`, or for
products the message's own attributes) and names any input the JSON listings feed cannot express as
an InputProblem at the input's own path (a switch to Amazon fulfilment, a relationship that is not a
variation), so nothing half-valid is sent. The document is checked here by our own rules; the tests
check every builder's output against Amazon's listings-feed-schema-v2.json, which is not shipped.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from app.mws.md5 import content_md5
from app.runtime.errors import InputInvalid, InputProblem

from .feed import Feed

FEED_TYPE = "JSON_LISTINGS_FEED"
CONTENT_TYPE = "application/json; charset=UTF-8"
MAX_MESSAGES = 25_000
DEFAULT_PRODUCT_TYPE = "PRODUCT"

# One input message, where it stands (msg.body or msg.body.messages[i]), the marketplace, the cfg:
# the listings messages it becomes (without messageId).
Builder = Callable[[dict[str, Any], str, str, dict[str, Any]], list[dict[str, Any]]]


def _patch(message: dict[str, Any], sku: str, patches: list[dict[str, Any]]) -> dict[str, Any]:
    return {"sku": sku, "operationType": "PATCH",
            "productType": message.get("productType") or DEFAULT_PRODUCT_TYPE, "patches": patches}


def inventory(message: dict[str, Any], base: str, marketplace: str, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    if message.get("SwitchFulfillmentTo") == "AFN":
        raise InputInvalid([InputProblem(f"{base}.SwitchFulfillmentTo",
                                         "a switch to Amazon fulfilment (AFN) is not an inventory update on SP-API")])
    value: dict[str, Any] = {"fulfillment_channel_code": "DEFAULT"}
    if message.get("Quantity") is not None:
        value["quantity"] = message["Quantity"]
    elif message.get("Available") is not None:
        value["is_inventory_available"] = bool(message["Available"])
    if message.get("FulfillmentLatency") is not None:
        value["lead_time_to_ship_max_days"] = message["FulfillmentLatency"]
    if message.get("RestockDate"):
        value["restock_date"] = message["RestockDate"]
    return [_patch(message, message["SKU"], [
        {"op": "replace", "path": "/attributes/fulfillment_availability", "value": [value]}])]


def _schedule(amount: Any, **extra: Any) -> list[dict[str, Any]]:
    return [{"schedule": [{"value_with_tax": _number(amount), **extra}]}]


def _number(amount: Any) -> float | int:
    value = float(amount)
    return int(value) if value.is_integer() else value


def price(message: dict[str, Any], base: str, marketplace: str, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    standard = message["StandardPrice"]
    offer: dict[str, Any] = {"marketplace_id": marketplace, "currency": standard["currency"],
                             "our_price": _schedule(standard["value"])}
    sale = message.get("SalePrice")
    if sale:
        offer["discounted_price"] = _schedule(sale["value"], start_at=sale["StartDate"], end_at=sale["EndDate"])
    for key, attribute in (("MinimumSellerAllowedPrice", "minimum_seller_allowed_price"),
                           ("MaximumSellerAllowedPrice", "maximum_seller_allowed_price")):
        if message.get(key):
            offer[attribute] = _schedule(message[key]["value"])
    return [_patch(message, message["SKU"], [
        {"op": "replace", "path": "/attributes/purchasable_offer", "value": [offer]}])]


IMAGE_ATTRIBUTES = {"Main": "main_product_image_locator", "Swatch": "swatch_product_image_locator",
                    **{f"PT{n}": f"other_product_image_locator_{n}" for n in range(1, 9)}}


def image(message: dict[str, Any], base: str, marketplace: str, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    attribute = IMAGE_ATTRIBUTES.get(message["ImageType"])
    if attribute is None:
        raise InputInvalid([InputProblem(f"{base}.ImageType",
                                         f"on SP-API one of {', '.join(IMAGE_ATTRIBUTES)}")])
    path = f"/attributes/{attribute}"
    if message.get("operation") == "Delete":
        patch: dict[str, Any] = {"op": "delete", "path": path, "value": [{"marketplace_id": marketplace}]}
    else:
        patch = {"op": "replace", "path": path,
                 "value": [{"marketplace_id": marketplace, "media_location": message["ImageLocation"]}]}
    return [_patch(message, message["SKU"], [patch])]


def relationship(message: dict[str, Any], base: str, marketplace: str, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    problems = [InputProblem(f"{base}.Relation[{i}].Type", "on SP-API only Variation relationships can be sent")
                for i, relation in enumerate(message["Relation"]) if relation.get("Type") != "Variation"]
    if problems:
        raise InputInvalid(problems)
    parent = message["ParentSKU"]
    parent_patches: list[dict[str, Any]] = [
        {"op": "replace", "path": "/attributes/parentage_level", "value": [{"marketplace_id": marketplace, "value": "parent"}]}]
    if message.get("variationTheme"):
        parent_patches.append({"op": "replace", "path": "/attributes/variation_theme",
                               "value": [{"name": message["variationTheme"]}]})
    out = [_patch(message, parent, parent_patches)]
    for relation in message["Relation"]:
        out.append(_patch(message, relation["SKU"], [
            {"op": "replace", "path": "/attributes/child_parent_sku_relationship", "value": [
                {"marketplace_id": marketplace, "child_relationship_type": "variation", "parent_sku": parent}]},
            {"op": "replace", "path": "/attributes/parentage_level",
             "value": [{"marketplace_id": marketplace, "value": "child"}]},
        ]))
    return out


PRODUCT_OPERATIONS = {"Update": "UPDATE", "Upsert": "UPDATE", "PartialUpdate": "PARTIAL_UPDATE", "Delete": "DELETE"}


def product(message: dict[str, Any], base: str, marketplace: str, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    operation = PRODUCT_OPERATIONS.get(cfg.get("operation") or "Update", "UPDATE")
    out: dict[str, Any] = {"sku": message["SKU"], "operationType": operation}
    if operation == "DELETE":
        return [out]
    problems = []
    product_type = message.get("productType") or message.get("category") or cfg.get("category")
    if not (isinstance(product_type, str) and product_type.strip()):
        problems.append(InputProblem(f"{base}.productType", "is required on SP-API (or a category)"))
    attributes = message.get("attributes")
    if not (isinstance(attributes, dict) and attributes):
        problems.append(InputProblem(f"{base}.attributes", "is required on SP-API: the listing's attributes"))
    requirements = message.get("requirements")
    if requirements is not None and requirements not in ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY"):
        problems.append(InputProblem(f"{base}.requirements", "must be LISTING, LISTING_PRODUCT_ONLY or LISTING_OFFER_ONLY"))
    if problems:
        raise InputInvalid(problems)
    out.update(productType=product_type, attributes=attributes)
    if requirements and operation == "UPDATE":
        out["requirements"] = requirements
    return [out]


def listings_feed(builder: Builder, messages: list[dict[str, Any]], cfg: dict[str, Any], *, single: bool) -> Feed:
    """The JSON listings document of `messages` (msg.body's items), or InputInvalid naming every
    message the feed cannot carry."""
    problems: list[InputProblem] = []
    out: list[dict[str, Any]] = []
    marketplace = str(cfg["marketplaceId"])
    for index, message in enumerate(messages):
        base = "msg.body" if single else f"msg.body.messages[{index}]"
        try:
            out.extend(builder(message, base, marketplace, cfg))
        except InputInvalid as invalid:
            problems += invalid.problems
    if len(out) > MAX_MESSAGES:
        problems.append(InputProblem("msg.body.messages" if not single else "msg.body",
                                     f"a JSON listings feed carries at most {MAX_MESSAGES} listings messages"))
    if problems:
        raise InputInvalid(problems)
    document = {
        "header": {"sellerId": str(cfg["sellerId"]), "version": "2.0", "issueLocale": "en_US"},
        "messages": [{"messageId": n, **message} for n, message in enumerate(out, start=1)],
    }
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Feed(body, content_md5(body), FEED_TYPE, "JSON", len(out), content_type=CONTENT_TYPE)
