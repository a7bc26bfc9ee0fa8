"""Running a JSON_LISTINGS_FEED: check the document, then each message; apply the accepted ones.

The document must be JSON with the listings feed v2 shape (header.sellerId = the feed's seller,
header.version "2.0", 1–25,000 messages); anything else ends the feed FATAL with one feed-level issue
(no messageId) in the report. Each message is checked against the message schema's rules
(messageId unique, sku, operationType and the fields each operationType needs or forbids), then
its attributes (listings_attributes.py); a PATCH or PARTIAL_UPDATE needs a SKU the catalog has, an
UPDATE of a new SKU needs item_name. A message with any problem is invalid and changes nothing; an
accepted one changes the shared catalog. The report follows listings-feed-processing-report-schema-v2
(header, issues, summary); the caller stores it gzip-compressed.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from . import listings_attributes as attributes
from .seams import CatalogItem, Feed

MAX_MESSAGES = 25_000
OPERATIONS = ("UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE")
# Per operationType: fields it needs, and fields it forbids (the message schema's oneOf).
NEEDS = {"UPDATE": ("productType", "attributes"), "PARTIAL_UPDATE": ("productType", "attributes"),
         "PATCH": ("productType", "patches"), "DELETE": ()}
FORBIDS = {"UPDATE": ("patches",), "PARTIAL_UPDATE": ("requirements", "patches"),
           "PATCH": ("requirements", "attributes"), "DELETE": ("requirements", "attributes", "productType", "patches")}
SCHEMA = "4002008"            # Amazon's code for a message that fails the feed message schema
SCHEMA_TEXT = "The provided message did not meet the schema validation requirements for a feed message"
INVALID_VALUE = "4000001"
MISSING_ATTRIBUTE = "90220"
BAD_REQUEST = "BAD_REQUEST"          # what Amazon says of a payload it cannot use


def _issue(message: str, code: str, message_id: int | None = None, sku: str | None = None,
           attribute: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if message_id is not None:
        out["messageId"] = message_id
    if sku:
        out["sku"] = sku
    out.update({"code": code, "severity": "ERROR", "message": message})
    if attribute:
        out["attributeName"] = attribute
    return out


def report(feed: Feed, issues: list[dict[str, Any]], processed: int, accepted: int) -> bytes:
    summary = {"errors": sum(i["severity"] == "ERROR" for i in issues),
               "warnings": sum(i["severity"] == "WARNING" for i in issues),
               "messagesProcessed": processed, "messagesAccepted": accepted, "messagesInvalid": processed - accepted}
    doc = {"header": {"sellerId": feed.seller_id, "version": "2.0", "feedId": feed.feed_id},
           "issues": issues, "summary": summary}
    return json.dumps(doc, indent=2).encode()


def _document_problem(doc: Any, seller_id: str) -> str | None:
    if not isinstance(doc, dict) or not isinstance(doc.get("header"), dict):
        return "The feed document must be a JSON object with a header"
    header = doc["header"]
    if header.get("version") != "2.0":
        return "header.version must be \"2.0\""
    if header.get("sellerId") != seller_id:
        return f"header.sellerId must be the seller submitting the feed ({seller_id})"
    messages = doc.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return f"messages must be an array of 1 to {MAX_MESSAGES} messages"
    return None


def _message_problems(m: Any, seen: set[int]) -> list[str]:
    if not isinstance(m, dict):
        return ["a message must be a JSON object"]
    problems = []
    mid = m.get("messageId")
    if not (isinstance(mid, int) and not isinstance(mid, bool) and 1 <= mid <= 2**31 - 1):
        problems.append("messageId must be a whole number from 1 to 2147483647")
    elif mid in seen:
        problems.append(f"messageId {mid} is not unique in the feed")
    if not isinstance(m.get("sku"), str) or not m["sku"]:
        problems.append("sku must be a non-empty string")
    op = m.get("operationType")
    if op not in OPERATIONS:
        return problems + [f"operationType must be one of {', '.join(OPERATIONS)}"]
    problems += [f"{op} needs {name}" for name in NEEDS[op] if name not in m]
    problems += [f"{name} is not allowed with {op}" for name in FORBIDS[op] if name in m]
    if "productType" in m and (not isinstance(m["productType"], str) or not m["productType"]):
        problems.append("productType must be a non-empty string")
    if "requirements" in m and m["requirements"] not in ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY"):
        problems.append("requirements must be LISTING, LISTING_PRODUCT_ONLY or LISTING_OFFER_ONLY")
    if "attributes" in m and (not isinstance(m["attributes"], dict) or not m["attributes"]):
        problems.append("attributes must be an object with at least one attribute")
    if "patches" in m:
        patches = m["patches"]
        if not isinstance(patches, list) or not patches:
            problems.append("patches must be a non-empty array")
        else:
            for p in patches:
                if not isinstance(p, dict) or p.get("op") not in ("add", "replace", "merge", "delete") \
                        or not isinstance(p.get("path"), str):
                    problems.append("each patch needs op (add, replace, merge, delete) and a path")
                elif p["op"] != "delete" and "value" not in p:
                    problems.append(f"the {p['op']} patch of {p['path']} needs a value")
    return problems


def _changes(m: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(attribute, op, value) of a valid message; paths are /attributes/<name>."""
    if m["operationType"] == "PATCH":
        return [(p["path"], p["op"], p.get("value")) for p in m["patches"]]
    return [(f"/attributes/{name}", "replace", value) for name, value in m["attributes"].items()]


def _apply_message(catalog: dict[str, CatalogItem], feed: Feed, m: dict[str, Any]) -> list[dict[str, Any]]:
    mid, sku, op = m["messageId"], m["sku"], m["operationType"]
    if op == "DELETE":
        catalog.pop(sku, None)
        return []
    changes, issues = _changes(m), []
    if sku not in catalog and op != "UPDATE":
        issues.append(_issue(f"SKU '{sku}' does not exist in the seller's catalog; a {op} needs an existing listing",
                             BAD_REQUEST, mid, sku))
    for path, patch_op, value in changes:
        name = path[len("/attributes/"):] if path.startswith("/attributes/") else ""
        if not name or "/" in name:
            issues.append(_issue(f"The path '{path}' must be /attributes/<attribute name>", INVALID_VALUE, mid, sku))
            continue
        for problem in attributes.check(name, patch_op, value, feed.marketplaces, catalog):
            issues.append(_issue(f"The provided value for '{name}' is invalid: {problem}", INVALID_VALUE, mid, sku, name))
    if sku not in catalog and op == "UPDATE" and "item_name" not in m["attributes"]:
        issues.append(_issue("'[item_name]' is required but not supplied.", MISSING_ATTRIBUTE, mid, sku, "item_name"))
    if issues:
        return issues
    if sku not in catalog:
        asin = "B0" + hashlib.sha1(sku.encode()).hexdigest().upper()[:8]
        catalog[sku] = CatalogItem(sku, asin, m["attributes"]["item_name"][0]["value"], 0, 0)
    if op == "UPDATE" and m["productType"] != "PRODUCT":
        catalog[sku].category = m["productType"]
    for path, patch_op, value in changes:
        attributes.apply(catalog, sku, path[len("/attributes/"):], patch_op, value)
    return []


def process_listings(catalog: dict[str, CatalogItem], feed: Feed, body: bytes) -> tuple[bytes, bool]:
    """(report JSON, fatal) for a JSON_LISTINGS_FEED whose document is `body`."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        return report(feed, [_issue(f"The feed document is not valid JSON: {err}", BAD_REQUEST)], 0, 0), True
    problem = _document_problem(doc, feed.seller_id)
    if problem is not None:
        return report(feed, [_issue(f"{SCHEMA_TEXT}: {problem}", SCHEMA)], 0, 0), True
    issues: list[dict[str, Any]] = []
    seen: set[int] = set()
    accepted = 0
    for m in doc["messages"]:
        problems = _message_problems(m, seen)
        mid = m.get("messageId") if isinstance(m, dict) and isinstance(m.get("messageId"), int) \
            and not isinstance(m.get("messageId"), bool) and m["messageId"] >= 1 else None
        sku = m.get("sku") if isinstance(m, dict) and isinstance(m.get("sku"), str) else None
        if mid is not None:
            seen.add(mid)
        if problems:
            issues += [_issue(f"{SCHEMA_TEXT}: {p}", SCHEMA, mid, sku) for p in problems]
            continue
        found = _apply_message(catalog, feed, m)
        issues += found
        accepted += not found
    return report(feed, issues, len(doc["messages"]), accepted), False
