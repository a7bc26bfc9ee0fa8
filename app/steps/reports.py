"""What the report steps share (getReport, getReportRows): which reports there are, waiting for one
every RESPONSE_CHECK_DELAY within STEP_TIMEOUT, and emitting its rows (one message each, or all in one).

A requested report is remembered in the snapshot under the backend's own name for its id
(`reportRequestId` on MWS, `reportId` on SP-API) the moment Amazon gives it, so a rebound resumes
waiting for that report and never asks Amazon twice for it.
"""
from __future__ import annotations

from typing import Any

from app.backends import SPAPI, backend_name, report_name
from app.backends.ports import ReportsBackend, ReportState
from app.model import load
from app.runtime.context import StepContext
from app.runtime.errors import DeadlineExceeded, StepError

TYPES: dict[str, dict[str, Any]] = load("common", "reports")["types"]
REPORT_TYPES = {key: t["label"] for key, t in TYPES.items()}
REQUESTABLE_TYPES = {key: t["label"] for key, t in TYPES.items() if t["requestable"]}
EMIT_BEHAVIORS = {"emitIndividually": "Emit Individually (one message per row)",
                  "fetchAll": "Fetch All (one message with every row)"}
SAMPLE_ROWS = 10
CUT_MARGIN_SECONDS = 2.0  # rows stop this long before STEP_TIMEOUT, so the rebound is answered in time
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def row_schema(key: str | None) -> dict[str, Any]:
    """One row of the report `key` (default: all listings) as a form can show it: a string property per
    column of the report's header, in Amazon's order (the wire model's columns; the same on both APIs)."""
    chosen = key if key in TYPES else "allListings"
    columns = load("mws", "reports")["reportTypes"][TYPES[chosen]["mws"]]["columns"]
    return {"type": "object", "title": f"Row: {TYPES[chosen]['label']}",
            "description": "One row keyed by the report's own column headers; every value a string. Amazon may add "
                           "columns: they come too.",
            "properties": {column: {"type": "string", "title": column} for column in columns},
            "additionalProperties": {"type": "string"}}


class ReportNotMade(StepError):
    """Amazon ended the report without making it (cancelled, or FATAL on SP-API): nothing to resume."""

    code = "ReportNotMade"
    type = "Sender"


class NoReport(StepError):
    """There is no report of the type yet (sample mode, or a report Amazon makes on its own schedule)."""

    code = "NoReport"
    type = "Sender"


def id_key(cfg: dict[str, Any]) -> str:
    return "reportId" if backend_name(cfg) == SPAPI else "reportRequestId"


def name_of(cfg: dict[str, Any]) -> str:
    return report_name(cfg["reportType"], cfg)


async def wait_for(ctx: StepContext, reports: ReportsBackend, request_id: str) -> ReportState:
    """Check the report every RESPONSE_CHECK_DELAY until Amazon has finished with it; DeadlineExceeded
    (a rebound) when STEP_TIMEOUT would pass before the next check."""
    delay = ctx.settings.response_check_delay_ms / 1000.0
    while True:
        state = await reports.state(request_id)
        ctx.log.info("report %s: %s", request_id, state.amazon)
        if state.state != "pending":
            return state
        if ctx.clock.time() + delay > ctx.deadline:
            raise DeadlineExceeded(f"report {request_id} is {state.amazon}; STEP_TIMEOUT would pass before the next check")
        await ctx.clock.sleep(delay)


def finished(state: ReportState, request_id: str, *, cancelled_is_empty: bool = False) -> str | None:
    """The document to read; None for a period that held no data; ReportNotMade when Amazon gave up.
    SP-API says CANCELLED both for a cancelled report and for a period without data: the trigger,
    which must move past an empty window, reads it as empty (`cancelled_is_empty`); the action says so."""
    if state.state == "done" and state.document:
        return state.document
    if state.state == "no-data" or (state.state == "cancelled" and cancelled_is_empty):
        return None
    hint = " (SP-API also says CANCELLED when the period held no data)" if state.amazon == "CANCELLED" else ""
    raise ReportNotMade(f"report {request_id} ended {state.amazon}{hint}: Amazon did not make it")


class RowsCut(StepError):
    """STEP_TIMEOUT came while a long report's rows were being emitted: `emitted` of them went out."""

    code = "StepTimeout"
    rebounds = True

    def __init__(self, emitted: int) -> None:
        super().__init__(f"STEP_TIMEOUT came after {emitted} rows of the report; the next call goes on from there")
        self.emitted = emitted


async def emit_rows(ctx: StepContext, reports: ReportsBackend, document: str | None, name: str, behavior: str,
                    *, limit: int | None = None, skip: int = 0) -> int:
    """Emit the report's rows after the first `skip` (emitted by an earlier call); how many rows the
    report has been read to. Emit Individually streams (bounded memory) and stops with RowsCut, to be
    resumed, when STEP_TIMEOUT is near; Fetch All holds every row to send one message."""
    held: list[dict[str, str]] = []
    count = 0
    if document is not None:
        async for row in reports.rows(document, name):
            count += 1
            if count <= skip:
                continue
            if behavior == "fetchAll":
                held.append(row)
            else:
                if ctx.clock.time() + CUT_MARGIN_SECONDS > ctx.deadline:
                    raise RowsCut(count - 1)
                await ctx.data(row)
            if limit is not None and count >= limit:
                break
    if behavior == "fetchAll":
        await ctx.data({"rows": held})
    return count
