"""Feed submissions and their lifecycle: _SUBMITTED_ → _IN_PROGRESS_ → _DONE_ (or _CANCELLED_).

Progress is computed lazily from the sandbox clock, like the order generator: whenever the data is
looked at, `advance(now_ms)` moves every feed whose time has come. A feed starts `START_DELAY_MS`
after submission, but not before the seller's previous feed of the same FeedType is done (Amazon processes
feeds of one type sequentially, mws-api.md §4.2), and is done `PROCESSING_MS` after it started.
Both are divided by `time_scale` (SANDBOX_TIME_SCALE, rounded to whole milliseconds): the scale
speeds up feed progress only, while the dates a feed carries stay on the sandbox clock.
Feeds that come due are processed in order of their completion time, so state changes apply in
the order Amazon would apply them.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

SUBMITTED, IN_PROGRESS, DONE, CANCELLED = "_SUBMITTED_", "_IN_PROGRESS_", "_DONE_", "_CANCELLED_"
STATUSES = (SUBMITTED, IN_PROGRESS, DONE, CANCELLED, "_AWAITING_ASYNCHRONOUS_REPLY_", "_IN_SAFETY_NET_",
            "_UNCONFIRMED_")
START_DELAY_MS = 5_000
PROCESSING_MS = 60_000

# FeedType → the envelope's MessageType (and payload element) it carries (mws-api.md §4.2).
FEED_TYPES: dict[str, str] = {
    "_POST_PRODUCT_DATA_": "Product",
    "_POST_INVENTORY_AVAILABILITY_DATA_": "Inventory",
    "_POST_PRODUCT_PRICING_DATA_": "Price",
    "_POST_PRODUCT_IMAGE_DATA_": "ProductImage",
    "_POST_PRODUCT_RELATIONSHIP_DATA_": "Relationship",
    "_POST_PRODUCT_OVERRIDES_DATA_": "Override",
    "_POST_ORDER_ACKNOWLEDGEMENT_DATA_": "OrderAcknowledgement",
    "_POST_ORDER_FULFILLMENT_DATA_": "OrderFulfillment",
    "_POST_PAYMENT_ADJUSTMENT_DATA_": "OrderAdjustment",
}


def feed_date(ms: int) -> str:
    """2020-06-25T12:32:14+00:00: the form feed dates take (whole seconds, +00:00)."""
    return datetime.fromtimestamp(ms // 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _scaled(ms: int, time_scale: float) -> int:
    """A feed-progress duration under SANDBOX_TIME_SCALE, in whole milliseconds (at least 1)."""
    return ms if time_scale == 1 else max(1, round(ms / time_scale))


@dataclass
class Feed:
    feed_id: str
    feed_type: str
    seller_id: str
    merchant_id: str
    marketplaces: tuple[str, ...]
    submitted_ms: int
    body: bytes
    content_type: str
    status: str = SUBMITTED
    started_ms: int | None = None
    completed_ms: int | None = None
    report: bytes | None = None

    def info(self) -> list[tuple[str, str | None]]:
        """FeedSubmissionInfo children, in the documented order (None: absent)."""
        return [("FeedSubmissionId", self.feed_id), ("FeedType", self.feed_type),
                ("SubmittedDate", feed_date(self.submitted_ms)), ("FeedProcessingStatus", self.status),
                ("StartedProcessingDate", None if self.started_ms is None else feed_date(self.started_ms)),
                ("CompletedProcessingDate", None if self.completed_ms is None else feed_date(self.completed_ms))]

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sellerId": self.seller_id, "bytes": len(self.body), "contentType": self.content_type}
        for tag, value in self.info():
            if value is not None:
                out[tag[0].lower() + tag[1:]] = value
        return out


class FeedStore:
    """Every feed submitted to the sandbox, in submission order; ids are 11-digit and increasing."""

    def __init__(self, seed: int, process: Callable[[Feed], bytes], time_scale: float = 1.0) -> None:
        if not time_scale > 0:
            raise ValueError(f"time_scale must be positive, not {time_scale!r}")
        self.time_scale = float(time_scale)
        self._rng = random.Random(f"{seed}/feeds")
        self._next_id = self._rng.randrange(50_000_000_000, 59_000_000_000)
        self._process = process          # runs a feed when it is done: applies it, returns the report
        self.feeds: dict[str, Feed] = {}

    def submit(self, *, feed_type: str, seller_id: str, merchant_id: str, marketplaces: tuple[str, ...],
               now_ms: int, body: bytes, content_type: str) -> Feed:
        self._next_id += self._rng.randrange(1, 1000)
        feed = Feed(str(self._next_id), feed_type, seller_id, merchant_id, marketplaces,
                    now_ms // 1000 * 1000, body, content_type)
        self.feeds[feed.feed_id] = feed
        return feed

    def get(self, feed_id: str) -> Feed | None:
        return self.feeds.get(feed_id)

    def of_seller(self, seller_id: str) -> Iterator[Feed]:
        return (f for f in self.feeds.values() if f.seller_id == seller_id)

    @property
    def start_delay_ms(self) -> int:
        return _scaled(START_DELAY_MS, self.time_scale)

    @property
    def processing_ms(self) -> int:
        return _scaled(PROCESSING_MS, self.time_scale)

    def advance(self, now_ms: int) -> None:
        """Start and finish every feed whose time has come (lazily; see the module docstring)."""
        start_delay_ms, processing_ms = self.start_delay_ms, self.processing_ms
        free_at: dict[tuple[str, str], int] = {}   # per (seller, FeedType): when its previous feed is done
        due: list[Feed] = []
        for feed in self.feeds.values():
            if feed.status == CANCELLED:
                continue
            if feed.started_ms is None:
                start = max(feed.submitted_ms + start_delay_ms, free_at.get((feed.seller_id, feed.feed_type), 0))
                if start <= now_ms:
                    feed.started_ms, feed.status = start, IN_PROGRESS
            else:
                start = feed.started_ms
            free_at[(feed.seller_id, feed.feed_type)] = start + processing_ms
            if feed.status == IN_PROGRESS and start + processing_ms <= now_ms:
                feed.completed_ms = start + processing_ms
                due.append(feed)
        for feed in sorted(due, key=lambda f: (f.completed_ms, int(f.feed_id))):
            feed.report = self._process(feed)
            feed.status = DONE

    def cancel(self, feed: Feed) -> bool:
        """Only feeds that have not started can be cancelled."""
        if feed.status != SUBMITTED:
            return False
        feed.status = CANCELLED
        return True
