"""What a step asks of a backend, and nothing more: one small interface per concern.

The steps (app/triggers, app/actions, app/steps) are written once; MWS (app/mws) and SP-API answer
these questions each in its own words. A step never names an MWS or SP-API operation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, AsyncIterator, Protocol

from app.runtime.errors import StepError


class SubmissionUnknown(StepError):
    """A feed submission whose answer was lost after it may have reached Amazon (a cut answer, a
    5xx, a timeout): it may have been accepted. Never sent again by itself; a person checks."""

    retriable = False
    type = "Receiver"


@dataclass
class OrdersPage:
    """One page of a window of orders by last update."""

    orders: list[dict[str, Any]]
    next_token: str | None      # where the next page starts; None on the last page
    window_end: str | None      # the window's end as Amazon echoes it (its clock, never ours)


class OrdersBackend(Protocol):
    batch_size: int             # ids one lookup call takes

    def earliest_start(self, now: float) -> str | None:
        """The earliest window start Amazon serves (SP-API: 730 days back), None: no horizon."""

    def window_pages(self, cfg: dict[str, Any], start: str, end: str | None,
                     next_token: str | None) -> AsyncIterator[OrdersPage]:
        """The pages of orders updated from `start` (to `end`, else Amazon's now − 2 min),
        resuming at `next_token` when given."""

    def version(self, order: dict[str, Any]) -> str | None:
        """An order version's identity (order id + last update, compared as instants)."""

    def restarts_window(self, exc: StepError) -> bool:
        """Amazon lost the place in the window (a corrupted or expired page token)."""

    def not_open_yet(self, exc: StepError) -> bool:
        """Amazon refused a window start later than its now − 2 minutes."""

    async def fetch_orders(self, ids: list[str]) -> list[dict[str, Any]]:
        """The orders of up to `batch_size` ids that Amazon knows, in any order."""

    def order_id(self, order: dict[str, Any]) -> str:
        """The id an order is asked by."""

    async def order_items(self, order_id: str) -> list[dict[str, Any]]:
        """Every item of one order."""


class FeedFormat(Protocol):
    def document(self, builders: Any, body: dict[str, Any], cfg: dict[str, Any], *,
                 validate_with: Any = None) -> Any:
        """The feed document for msg.body (a Feed: bytes, content MD5, feed type, count), built by the
        backend's builder among `builders`; `validate_with`: the XSD folder to check it against.
        Pure: the 422 check builds documents too, before anything is sent."""


class FeedsBackend(Protocol):
    # Who the feeds go to (endpoint and seller), as an opaque string: a repeated message is
    # recognised per account (app.steps.feeds). Never holds a secret.
    account: str

    async def submit(self, document: Any, cfg: dict[str, Any], *, marketplace_ids: list[str] | None = None) -> str:
        """Send the document (to `marketplace_ids` when the feed type asks for them); the submission
        id Amazon gave it."""

    async def status(self, submission_id: str) -> dict[str, Any]:
        """`{"feedSubmissionId", "feedType", "feedProcessingStatus", "submittedDate", ...}`."""

    def finished(self, status: str | None) -> bool:
        """Whether the feed is done processing, one way or another."""

    def cancelled(self, status: str | None) -> bool:
        """Whether Amazon cancelled it."""

    def fatal(self, status: str | None) -> bool:
        """Whether Amazon gave up on it (SP-API's FATAL): its report, if any, then an error."""

    async def report(self, submission_id: str) -> dict[str, Any]:
        """The processing report, parsed; NotReady when Amazon has not finished it."""


@dataclass
class ReportState:
    """Where a requested report stands, in neutral words: pending, done, no-data, cancelled or fatal;
    `amazon` is Amazon's own status text; `document` what rows() reads once done."""

    state: str
    amazon: str
    document: str | None = None


class ReportsBackend(Protocol):
    """Amazon reports on one backend: request one, check it, read its rows (streamed)."""

    account: str  # who the requests are made for (endpoint and seller), for logs

    async def request(self, report_type: str, start: str | None, end: str | None) -> str:
        """Ask Amazon for a report (its backend name); its request id (MWS) or report id (SP-API)."""

    async def state(self, request_id: str) -> ReportState: ...

    async def latest(self, report_type: str) -> str | None:
        """The document of the newest report of that type Amazon holds (sample mode, settlements)."""

    def rows(self, document: str, report_type: str) -> AsyncIterator[dict[str, str]]:
        """The report's rows, keyed by its own header, downloaded to a spool then parsed as a stream."""
