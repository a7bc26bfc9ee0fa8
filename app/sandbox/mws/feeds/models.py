"""The Feeds backend model: feed submissions, their lifecycle and the rules of each Feeds operation.

Lifecycle: _SUBMITTED_ → _IN_PROGRESS_ → _DONE_ (or _CANCELLED_).

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

from .. import wire
from ..auth import Seller
from ..errors import MWSError, invalid
from ..paging import TokenCodec
from ..params import date_param, list_param
from .report import content_md5

SUBMITTED, IN_PROGRESS, DONE, CANCELLED = "_SUBMITTED_", "_IN_PROGRESS_", "_DONE_", "_CANCELLED_"
STATUSES = (SUBMITTED, IN_PROGRESS, DONE, CANCELLED, "_AWAITING_ASYNCHRONOUS_REPLY_", "_IN_SAFETY_NET_",
            "_UNCONFIRMED_")
START_DELAY_MS = 5_000
PROCESSING_MS = 60_000
DAY_MS = 86_400_000
MAX_IDS = 100
NULL_TOKEN = ("1 validation error detected: Value null at 'nextToken' failed to satisfy constraint: "
              "Member must not be null")


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


class FeedsBackend:
    """The rules of SubmitFeed, GetFeedSubmissionList (+ByNextToken), GetFeedSubmissionCount,
    CancelFeedSubmissions and GetFeedSubmissionResult over the `FeedStore`."""

    def __init__(self, store: FeedStore, tokens: TokenCodec) -> None:
        self.store = store
        self.tokens = tokens

    def submit(self, seller: Seller, p: dict[str, str], headers: dict[str, str], body: bytes, now_ms: int) -> Feed:
        """SubmitFeed's checks (mws-api.md §4.2): FeedType, marketplaces, Content-MD5, in Amazon's order."""
        feed_type = p.get("FeedType")
        if not feed_type:
            raise invalid("The parameter FeedType is required but was not present.")
        kind = wire.feed_types().get(feed_type)
        if kind is None:
            raise invalid(f"Invalid FeedType: {feed_type}")
        marketplaces = list_param(p, "MarketplaceIdList.Id")
        for mid in marketplaces:
            if mid not in seller.marketplaces:
                raise invalid(f"Invalid MarketplaceId: {mid} is not a marketplace this seller participates in")
        if kind.get("needsMarketplace") and not marketplaces:
            raise invalid(f"MarketplaceIdList.Id.1 is required for FeedType {feed_type}")
        param, header = p.get("ContentMD5Value"), headers.get("content-md5")
        if param is not None and header is not None and param.strip() != header.strip():
            raise invalid("The Content-MD5 HTTP header and the ContentMD5Value parameter do not match")
        sent = (param if param is not None else header or "").strip()
        if not sent:
            raise MWSError("ContentMD5Missing",
                           "The Content-MD5 HTTP header or the ContentMD5Value parameter was not passed for your feed")
        actual = content_md5(body)
        if sent != actual:
            raise MWSError("ContentMD5DoesNotMatch",
                           f"the Content-MD5 HTTP header you passed for your feed ({sent}) did not match the "
                           f"Content-MD5 we calculated for your feed ({actual})")
        return self.store.submit(
            feed_type=feed_type, seller_id=seller.seller_id, merchant_id=seller.seller_id,
            marketplaces=tuple(marketplaces) or seller.marketplaces, now_ms=now_ms, body=body,
            content_type=headers.get("content-type", "text/xml"))

    @staticmethod
    def query(p: dict[str, str], now_ms: int, *, with_ids: bool, days: int) -> dict[str, Any]:
        ids = list_param(p, "FeedSubmissionIdList.Id") if with_ids else []
        if len(ids) > MAX_IDS:
            raise invalid(f"At most {MAX_IDS} FeedSubmissionId values are allowed")
        statuses = list_param(p, "FeedProcessingStatusList.Status")
        for status in statuses:
            if status not in STATUSES:
                raise invalid(f"Invalid FeedProcessingStatus: {status}")
        return {"ids": ids, "types": list_param(p, "FeedTypeList.Type"), "st": statuses,
                "from": date_param(p, "SubmittedFromDate", now_ms - days * DAY_MS),
                "to": date_param(p, "SubmittedToDate", now_ms)}

    def select(self, seller: Seller, q: dict[str, Any]) -> list[Feed]:
        """The seller's feeds matching `q`, newest first; with ids, the other filters are ignored."""
        feeds = self.store.of_seller(seller.seller_id)
        if q["ids"]:
            wanted = set(q["ids"])
            found = [f for f in feeds if f.feed_id in wanted]
        else:
            found = [f for f in feeds if q["from"] <= f.submitted_ms <= q["to"]
                     and (not q["types"] or f.feed_type in q["types"]) and (not q["st"] or f.status in q["st"])]
        return sorted(found, key=_key, reverse=True)

    def list_page(self, seller: Seller, q: dict[str, Any], last: list[int] | None) -> tuple[list[Feed], str | None]:
        """A page of GetFeedSubmissionList, and the NextToken when more follow."""
        rows = self.select(seller, q)
        if last is not None:
            rows = [f for f in rows if _key(f) < last]
        size = len(rows) if q["ids"] else q["max"]
        page = rows[:size]
        token = self.tokens.encode("feeds", seller.seller_id, {"q": q, "last": _key(page[-1])}) \
            if len(rows) > size else None
        return page, token

    def list_page_by_token(self, seller: Seller, token: str | None) -> tuple[list[Feed], str | None]:
        if not token:
            raise MWSError("ValidationError", NULL_TOKEN)
        state = self.tokens.decode("feeds", seller.seller_id, token)
        return self.list_page(seller, state["q"], state["last"])

    def cancel(self, seller: Seller, q: dict[str, Any]) -> list[Feed]:
        q = {**q, "st": []}                # the status list is not a Cancel parameter
        return [f for f in self.select(seller, q) if self.store.cancel(f)]

    def result(self, seller: Seller, feed_id: str) -> Feed:
        """A done feed of this seller, whose report is ready, or Amazon's error for why not."""
        if not feed_id.isdigit():
            raise MWSError("InvalidRequest", f"Invalid FeedSubmissionId: {feed_id}")
        feed = self.store.get(feed_id)
        if feed is None or feed.seller_id != seller.seller_id:
            raise MWSError("InvalidFeedSubmissionId", f"Failed to find feed with Feed Submission ID: {feed_id}")
        if feed.status == CANCELLED:
            raise MWSError("FeedCanceled", f"Feed Submission Id: {feed_id} was cancelled; it has no result")
        if feed.status != DONE or feed.report is None:
            raise MWSError("FeedProcessingResultNotReady",
                           f"Feed Submission Result is not ready for Feed Submission Id: {feed_id}")
        return feed


def _key(feed: Feed) -> list[int]:
    return [feed.submitted_ms, int(feed.feed_id)]
