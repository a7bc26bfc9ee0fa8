"""The Reports backend model: report requests, the reports they generate, and the settlements Amazon makes.

Lifecycle of a request (reports.md §1): _SUBMITTED_ → _IN_PROGRESS_ → _DONE_ (a report was generated,
its id is the request's GeneratedReportId) or _DONE_NO_DATA_ (the window held nothing: no report), or
_CANCELLED_ by CancelReportRequests while still _SUBMITTED_. Progress is lazy, like feeds: whenever
the data is looked at, `advance(now_ms)` moves every request whose time has come. A request starts
`START_DELAY_MS` after submission and is done `PROCESSING_MS` after it started, both divided by
`time_scale` (SANDBOX_TIME_SCALE); the dates it carries stay on the sandbox clock. The body is made
from the seller's state when the request completes (generate.py), the window's end capped at that
moment.

Settlement reports cannot be requested (reports.md §3): Amazon makes one per seller and marketplace
every `SETTLEMENT_DAYS`, available at the end of its period; the first period ends at the sandbox's
start. They appear in GetReportList only, and keep the sandbox clock's own pace (time_scale does not
shorten a settlement period).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ...state.dates import DAY_MS
from ..feeds.models import feed_date
from ..feeds.report import content_md5

SUBMITTED, IN_PROGRESS, DONE, DONE_NO_DATA, CANCELLED = (
    "_SUBMITTED_", "_IN_PROGRESS_", "_DONE_", "_DONE_NO_DATA_", "_CANCELLED_")
START_DELAY_MS = 5_000
PROCESSING_MS = 60_000
SETTLEMENT_DAYS = 14
SETTLEMENT = "_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_"
__all__ = ["DAY_MS", "Report", "ReportRequest", "ReportStore", "content_md5"]

# (report type, seller, marketplaces, start ms, end ms) → (body, charset it is in) or None: no data
Generate = Callable[[str, str, tuple[str, ...], int, int], "tuple[bytes, str] | None"]


@dataclass
class ReportRequest:
    request_id: str
    report_type: str
    seller_id: str
    marketplaces: tuple[str, ...]
    start_ms: int
    end_ms: int
    submitted_ms: int
    options: str = ""
    status: str = SUBMITTED
    started_ms: int | None = None
    completed_ms: int | None = None
    report_id: str | None = None

    def info(self) -> list[tuple[str, Any]]:
        """ReportRequestInfo children in Amazon's order (None: absent)."""
        return [("ReportRequestId", self.request_id), ("ReportType", self.report_type),
                ("StartDate", feed_date(self.start_ms)), ("EndDate", feed_date(self.end_ms)),
                ("Scheduled", False), ("SubmittedDate", feed_date(self.submitted_ms)),
                ("ReportProcessingStatus", self.status), ("GeneratedReportId", self.report_id),
                ("StartedProcessingDate", None if self.started_ms is None else feed_date(self.started_ms)),
                ("CompletedDate", None if self.completed_ms is None else feed_date(self.completed_ms))]

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sellerId": self.seller_id, "marketplaces": list(self.marketplaces)}
        out.update({tag[0].lower() + tag[1:]: value for tag, value in self.info() if value is not None})
        return out


@dataclass
class Report:
    report_id: str
    report_type: str
    request_id: str
    seller_id: str
    available_ms: int
    body: bytes
    charset: str                     # as declared in the Content-Type: Cp1252, Windows-31J, UTF-8
    acknowledged: bool = False

    def info(self) -> list[tuple[str, Any]]:
        return [("ReportId", self.report_id), ("ReportType", self.report_type),
                ("ReportRequestId", self.request_id), ("AvailableDate", feed_date(self.available_ms)),
                ("Acknowledged", self.acknowledged)]

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sellerId": self.seller_id, "bytes": len(self.body), "charset": self.charset}
        out.update({tag[0].lower() + tag[1:]: value for tag, value in self.info()})
        return out


def _scaled(ms: int, time_scale: float) -> int:
    """A progress duration under SANDBOX_TIME_SCALE, in whole milliseconds (at least 1)."""
    return ms if time_scale == 1 else max(1, round(ms / time_scale))


class ReportStore:
    """Every report request and report of the sandbox; ids are numeric strings and increasing."""

    def __init__(self, seed: int, generate: Generate, start_ms: int, time_scale: float = 1.0,
                 markets: Callable[[int, int], Iterable[tuple[str, str]]] = lambda start, end: ()) -> None:
        if not time_scale > 0:
            raise ValueError(f"time_scale must be positive, not {time_scale!r}")
        self.time_scale = float(time_scale)
        self._rng = random.Random(f"{seed}/reports")
        self._next_request = self._rng.randrange(60_000_000_000, 69_000_000_000)
        self._next_report = self._rng.randrange(20_000_000_000_000, 29_000_000_000_000)
        self._generate = generate
        self._markets = markets          # (seller, marketplace) pairs with orders in a period
        self._settled_until = start_ms - SETTLEMENT_DAYS * DAY_MS
        self.requests: dict[str, ReportRequest] = {}
        self.reports: dict[str, Report] = {}

    def _request_id(self) -> str:
        self._next_request += self._rng.randrange(1, 1000)
        return str(self._next_request)

    def _report_id(self) -> str:
        self._next_report += self._rng.randrange(1, 100_000)
        return str(self._next_report)

    def request(self, *, report_type: str, seller_id: str, marketplaces: tuple[str, ...], start_ms: int,
                end_ms: int, now_ms: int, options: str = "") -> ReportRequest:
        req = ReportRequest(self._request_id(), report_type, seller_id, marketplaces, start_ms, end_ms,
                            now_ms // 1000 * 1000, options)
        self.requests[req.request_id] = req
        return req

    def advance(self, now_ms: int) -> None:
        """Start and finish every request whose time has come, and make the settlements that are due."""
        delay, processing = _scaled(START_DELAY_MS, self.time_scale), _scaled(PROCESSING_MS, self.time_scale)
        for req in self.requests.values():
            if req.status == SUBMITTED and req.submitted_ms + delay <= now_ms:
                req.status, req.started_ms = IN_PROGRESS, req.submitted_ms + delay
            if req.status == IN_PROGRESS and req.started_ms is not None and req.started_ms + processing <= now_ms:
                req.completed_ms = req.started_ms + processing
                made = self._generate(req.report_type, req.seller_id, req.marketplaces, req.start_ms,
                                      min(req.end_ms, req.completed_ms))
                if made is None:
                    req.status = DONE_NO_DATA
                    continue
                report = self._add(req.report_type, req.request_id, req.seller_id, req.completed_ms, *made)
                req.status, req.report_id = DONE, report.report_id
        self._settle(now_ms)

    def _settle(self, now_ms: int) -> None:
        period = SETTLEMENT_DAYS * DAY_MS
        while self._settled_until + period <= now_ms:
            start, end = self._settled_until, self._settled_until + period
            for seller_id, marketplace_id in sorted(self._markets(start, end)):
                made = self._generate(SETTLEMENT, seller_id, (marketplace_id,), start, end)
                if made is not None:
                    self._add(SETTLEMENT, self._request_id(), seller_id, end, *made)
            self._settled_until = end

    def _add(self, report_type: str, request_id: str, seller_id: str, at_ms: int, body: bytes,
             charset: str) -> Report:
        report = Report(self._report_id(), report_type, request_id, seller_id, at_ms, body, charset)
        self.reports[report.report_id] = report
        return report

    def cancel(self, req: ReportRequest) -> bool:
        """Only requests that have not started can be cancelled."""
        if req.status != SUBMITTED:
            return False
        req.status = CANCELLED
        return True
