"""SP-API feeds over the MWS sandbox's feed lifecycle: IN_QUEUE → IN_PROGRESS → DONE / FATAL, or CANCELLED.

The clock work (a start delay, one feed of a type at a time per seller, a processing time, all
divided by time_scale, applied lazily) is the MWS FeedStore's, so both backends' feeds move alike;
this store keeps what SP-API adds: the input document, the result document, and FATAL.
When a feed comes due it is run by type:
- JSON_LISTINGS_FEED: listings.py; a document that is not a listings feed is FATAL with a report;
- POST_ORDER_ACKNOWLEDGEMENT_DATA (and the other XML order feeds the MWS sandbox runs): the MWS
  sandbox's own processing of that envelope, with its XML processing report;
- the XML / flat-file listing feeds Amazon removed on 2025-07-31: FATAL, no report (sp-api.md ref. §4.3);
- a feed whose document was never uploaded: FATAL, no report.
Result documents are stored gzip-compressed (`compressionAlgorithm: GZIP`).
"""
from __future__ import annotations

import dataclasses
import gzip
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .listings import process_listings
from .params import iso
from .seams import CANCELLED, DONE, IN_PROGRESS, SUBMITTED, Feed, FeedStore, process_feed, seller_book

if TYPE_CHECKING:
    from .documents import DocumentStore
    from .seams import Sandbox

XML_FEEDS = ("POST_ORDER_ACKNOWLEDGEMENT_DATA", "POST_ORDER_FULFILLMENT_DATA", "POST_PAYMENT_ADJUSTMENT_DATA")
RETIRED = ("POST_PRODUCT_DATA", "POST_INVENTORY_AVAILABILITY_DATA", "POST_PRODUCT_OVERRIDES_DATA",
           "POST_PRODUCT_PRICING_DATA", "POST_PRODUCT_IMAGE_DATA", "POST_PRODUCT_RELATIONSHIP_DATA",
           "POST_FLAT_FILE_INVLOADER_DATA", "POST_FLAT_FILE_BOOKLOADER_DATA",
           "POST_FLAT_FILE_CONVERGENCE_LISTINGS_DATA", "POST_FLAT_FILE_LISTINGS_DATA",
           "POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA", "POST_UIEE_BOOKLOADER_DATA")
FEED_TYPES = ("JSON_LISTINGS_FEED", *XML_FEEDS, *RETIRED)
STATUSES = ("CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE")
_STATUS = {SUBMITTED: "IN_QUEUE", IN_PROGRESS: "IN_PROGRESS", DONE: "DONE", CANCELLED: "CANCELLED"}


@dataclass
class FeedExtras:
    input_document_id: str
    uploaded: bool                       # the input document had content when the feed was created
    fatal: bool = False
    result_document_id: str | None = None
    cancelled_ms: int | None = None


class SpFeeds:
    def __init__(self, sandbox: "Sandbox", documents: "DocumentStore") -> None:
        self.sandbox, self.documents = sandbox, documents
        self.store = FeedStore(sandbox.seed + 7919, self._process, sandbox.time_scale)   # its own id sequence
        self.extras: dict[str, FeedExtras] = {}

    def advance(self, now_ms: int) -> None:
        self.store.advance(now_ms)

    def create(self, *, seller_id: str, feed_type: str, marketplaces: tuple[str, ...], document_id: str,
               now_ms: int) -> Feed:
        document = self.documents.documents[document_id]
        feed = self.store.submit(feed_type=feed_type, seller_id=seller_id, merchant_id=seller_id,
                                 marketplaces=marketplaces, now_ms=now_ms, body=document.body or b"",
                                 content_type=document.content_type)
        self.extras[feed.feed_id] = FeedExtras(document_id, document.body is not None)
        return feed

    def get(self, seller_id: str, feed_id: str) -> Feed | None:
        feed = self.store.get(feed_id)
        return feed if feed is not None and feed.seller_id == seller_id else None

    def cancel(self, feed: Feed, now_ms: int) -> bool:
        if not self.store.cancel(feed):
            return False
        self.extras[feed.feed_id].cancelled_ms = now_ms
        return True

    def status(self, feed: Feed) -> str:
        return "FATAL" if feed.status == DONE and self.extras[feed.feed_id].fatal else _STATUS.get(feed.status, "IN_PROGRESS")

    def _process(self, feed: Feed) -> bytes:
        """Run `feed` when it is done (called by the FeedStore); the report, or b"" for none."""
        extras = self.extras[feed.feed_id]
        if feed.feed_type in RETIRED or not extras.uploaded:
            extras.fatal = True
            return b""
        if feed.feed_type == "JSON_LISTINGS_FEED":
            report, extras.fatal = process_listings(seller_book(self.sandbox, feed.seller_id).catalog, feed, feed.body)
            content_type = "application/json; charset=UTF-8"
        else:
            # The MWS sandbox's processing of the same envelope, under the MWS name of the FeedType.
            report = process_feed(self.sandbox, dataclasses.replace(feed, feed_type=f"_{feed.feed_type}_"))
            content_type = "text/xml; charset=UTF-8"
        document = self.documents.create(feed.seller_id, content_type, feed.completed_ms or self.sandbox.now_ms(),
                                         body=gzip.compress(report, mtime=0), compression="GZIP")
        extras.result_document_id = document.document_id
        return report

    def json(self, feed: Feed) -> dict[str, Any]:
        """The model's `Feed` object."""
        extras = self.extras[feed.feed_id]
        out: dict[str, Any] = {"feedId": feed.feed_id, "feedType": feed.feed_type,
                               "marketplaceIds": list(feed.marketplaces), "createdTime": iso(feed.submitted_ms),
                               "processingStatus": self.status(feed)}
        if feed.started_ms is not None:
            out["processingStartTime"] = iso(feed.started_ms)
        end = feed.completed_ms if feed.status == DONE else extras.cancelled_ms
        if end is not None:
            out["processingEndTime"] = iso(end)
        if extras.result_document_id:
            out["resultFeedDocumentId"] = extras.result_document_id
        return out

    def summaries(self) -> list[dict[str, Any]]:
        return [{"sellerId": f.seller_id, "inputFeedDocumentId": self.extras[f.feed_id].input_document_id,
                 "bytes": len(f.body), **self.json(f)} for f in self.store.feeds.values()]
