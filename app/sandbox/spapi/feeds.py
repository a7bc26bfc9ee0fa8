"""Feeds API 2021-06-30: createFeedDocument, createFeed, getFeed, getFeeds, cancelFeed, getFeedDocument.

Checks as the model states them: createFeedDocument needs a contentType; createFeed needs feedType
(one the sandbox knows), 1–25 marketplaceIds the seller participates in and an inputFeedDocumentId
of the seller's; getFeeds needs feedTypes (1–10) or a nextToken, and a nextToken must come alone;
pageSize 1–100 (default 10); createdSince defaults to 90 days ago (feeds are kept 90 days);
cancelFeed works on IN_QUEUE feeds only. Ids that cannot be the sandbox's are 400 (as the model's
examples answer "badFeedId1"), well-formed unknown ones 404. Feeds are listed newest first.
"""
from __future__ import annotations

from typing import Any

from .call import Call, Reply
from .errors import SpApiError, invalid, not_found
from .feeds_store import FEED_TYPES, STATUSES
from .params import json_body, next_page_state

DAY_MS = 86_400_000
RETENTION_MS = 90 * DAY_MS


def _json_request(call: Call) -> dict[str, Any]:
    content_type = call.headers.get("content-type", "")
    if call.body.strip() and not content_type.lower().startswith("application/json"):
        raise SpApiError(415, "InvalidInput", "The request's Content-Type header is invalid.",
                         "Use Content-Type: application/json")
    return json_body(call.body)


def create_feed_document(call: Call) -> Reply:
    body = _json_request(call)
    content_type = body.get("contentType")
    if not isinstance(content_type, str) or not content_type.strip():
        raise invalid("contentType is required", "Invalid input")
    document = call.spapi.documents.create(call.seller_id, content_type, call.now_ms)
    url = call.spapi.documents.url(call.base_url, document, "PUT", call.now_ms)
    return Reply({"feedDocumentId": document.document_id, "url": url}, status=201)


def create_feed(call: Call) -> Reply:
    body = _json_request(call)
    feed_type, marketplaces, document_id = body.get("feedType"), body.get("marketplaceIds"), body.get("inputFeedDocumentId")
    if not isinstance(feed_type, str) or not feed_type:
        raise invalid("feedType is required", "Invalid input")
    if feed_type not in FEED_TYPES:
        raise invalid(f"Invalid feedType {feed_type!r}: not a feed type the sandbox accepts", "Invalid input")
    if not isinstance(marketplaces, list) or not 1 <= len(marketplaces) <= 25 or \
            not all(isinstance(m, str) for m in marketplaces):
        raise invalid("marketplaceIds must be an array of 1 to 25 marketplace ids", "Invalid input")
    own = call.spapi.marketplaces(call.seller_id)
    for marketplace_id in marketplaces:
        if marketplace_id not in own:
            raise invalid(f"Invalid marketplaceIds: {marketplace_id} is not a marketplace this seller participates in",
                          "Invalid input")
    document = call.spapi.documents.get(call.seller_id, document_id) if isinstance(document_id, str) else None
    if document is None or document.result:
        raise invalid("inputFeedDocumentId is not a feed document created by this seller", "Invalid input")
    if "feedOptions" in body and not isinstance(body["feedOptions"], dict):
        raise invalid("feedOptions must be an object of strings", "Invalid input")
    feed = call.spapi.feeds.create(seller_id=call.seller_id, feed_type=feed_type, marketplaces=tuple(marketplaces),
                                   document_id=document.document_id, now_ms=call.now_ms)
    return Reply({"feedId": feed.feed_id}, status=202)


def _feed(call: Call):
    feed_id = call.path["feedId"]
    if not feed_id.isdigit():
        raise invalid(f"Invalid feedId {feed_id!r}", "Invalid input")
    feed = call.spapi.feeds.get(call.seller_id, feed_id)
    if feed is None:
        raise not_found("feed")
    return feed


def get_feed(call: Call) -> dict[str, Any]:
    return call.spapi.feeds.json(_feed(call))


def cancel_feed(call: Call) -> Reply:
    feed = _feed(call)
    if not call.spapi.feeds.cancel(feed, call.now_ms):
        raise invalid(f"The feed is {call.spapi.feeds.status(feed)}; only IN_QUEUE feeds can be cancelled",
                      "Invalid input")
    return Reply(None, status=200)


def get_feeds(call: Call) -> dict[str, Any]:
    q = call.query
    state = next_page_state(call, "getFeeds")
    if state is None:
        feed_types = q.array("feedTypes", max_items=10)
        if not feed_types:
            raise invalid("feedTypes or nextToken is required", "Invalid input")
        statuses = q.array("processingStatuses", enum=STATUSES)
        marketplaces = q.array("marketplaceIds", max_items=10)
        since, until = q.date("createdSince"), q.date("createdUntil")
        state = {"seller": call.seller_id, "types": feed_types, "statuses": statuses, "marketplaces": marketplaces,
                 "since": call.now_ms - RETENTION_MS if since is None else since,
                 "until": call.now_ms if until is None else until,
                 "size": q.integer("pageSize", 1, 100, 10), "last": None}
        if state["since"] > state["until"]:
            raise invalid("createdSince must be before createdUntil", "Invalid input")
    feeds = call.spapi.feeds
    matching = [f for f in feeds.store.feeds.values()
                if f.seller_id == call.seller_id and f.feed_type in state["types"]
                and state["since"] <= f.submitted_ms <= state["until"]
                and (not state["statuses"] or feeds.status(f) in state["statuses"])
                and (not state["marketplaces"] or set(f.marketplaces) & set(state["marketplaces"]))]
    matching.sort(key=lambda f: (f.submitted_ms, int(f.feed_id)), reverse=True)
    if state["last"]:        # keyed on the last row sent, so feeds created between pages shift nothing
        matching = [f for f in matching if [f.submitted_ms, int(f.feed_id)] < state["last"]]
    page = matching[: state["size"]]
    out: dict[str, Any] = {"feeds": [feeds.json(f) for f in page]}
    if len(matching) > len(page):
        out["nextToken"] = call.spapi.tokens.encode(
            "getFeeds", {**state, "last": [page[-1].submitted_ms, int(page[-1].feed_id)]})
    return out


def get_feed_document(call: Call) -> dict[str, Any]:
    document_id = call.path["feedDocumentId"]
    if not document_id.startswith("amzn1.tortuga."):
        raise invalid(f"Invalid feedDocumentId {document_id!r}", "Invalid input")
    document = call.spapi.documents.get(call.seller_id, document_id)
    if document is None:
        raise not_found("feed document")
    gzip_header = (call.query.one("enableContentEncodingUrlHeader") or "").lower() == "true"
    out = {"feedDocumentId": document.document_id,
           "url": call.spapi.documents.url(call.base_url, document, "GET", call.now_ms,
                                           gzip_header and document.compression == "GZIP")}
    if document.compression:
        out["compressionAlgorithm"] = document.compression
    return out
