"""Get Report Rows: a report requested window by window, from the start time (or 30 days back) up to
Amazon's now − 2 minutes, at most 30 days a window; each window's rows emitted once.

Snapshot: `{"windowStart"}` — where the backfill stands — and, while a window's report is on its way,
`windowEnd` and its id (`reportRequestId` on MWS, `reportId` on SP-API): a cut window resumes from its
report and never asks Amazon twice for the same window. A poll goes on to the next window while
STEP_TIMEOUT allows; a report still being made answers `rebound`; a window under 10 minutes waits for a
later poll. Sample mode: no request, the
first rows of the newest existing report of the type.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from app.backends import reports_for
from app.dates import DateFormatError, normalize, parse_date, to_amazon
from app.runtime.context import StepContext
from app.runtime.errors import InputProblem, StepError
from app.settings import Settings
from app.steps.reports import (
    DRAFT,
    REQUESTABLE_TYPES,
    SAMPLE_ROWS,
    NoReport,
    ReportNotMade,
    RowsCut,
    emit_rows,
    finished,
    id_key,
    name_of,
    row_schema,
    wait_for,
)

WINDOW = timedelta(days=30)
LAG = timedelta(minutes=2)  # Amazon's data is complete up to two minutes ago
# A shorter window waits for a later poll: a trigger polled every minute would otherwise spend the
# report-request quota (one a minute after a burst of 15) on a minute of data each time.
MIN_WINDOW = timedelta(minutes=10)


def select_model(field: str, cfg: dict[str, Any]) -> dict[str, str] | None:
    return {"reportType": REQUESTABLE_TYPES}.get(field)


def get_meta_model(cfg: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The output has the chosen report's columns."""
    return {"in": {"type": "object"}, "out": {"$schema": DRAFT, **row_schema(cfg.get("reportType"))}}


def check(msg: dict[str, Any], cfg: dict[str, Any], settings: Settings) -> list[InputProblem]:
    value = cfg.get("startTime")
    if value not in (None, ""):
        try:
            normalize(str(value))
        except DateFormatError:
            return [InputProblem("cfg.startTime", "must be a date and time such as 2026-11-01T00:00:00Z")]
    return []


def check_snapshot(snapshot: dict[str, Any]) -> list[InputProblem]:
    problems = []
    rows = snapshot.get("rowsEmitted")
    if rows is not None and not (type(rows) is int and rows >= 0):
        problems.append(InputProblem("snapshot.rowsEmitted", "must be a whole number, 0 or more"))
    for key in ("windowStart", "windowEnd"):
        value = snapshot.get(key)
        if value is not None:
            try:
                normalize(str(value))
            except DateFormatError:
                problems.append(InputProblem(f"snapshot.{key}", "must be a date and time"))
    return problems


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    cfg, snapshot = ctx.cfg, ctx.received_snapshot
    reports, name, key = reports_for(ctx), name_of(cfg), id_key(cfg)
    if ctx.sample:
        document = await reports.latest(name)
        if document is None:
            raise NoReport("Amazon holds no report of this type for this seller yet: nothing to sample")
        await emit_rows(ctx, reports, document, name, "emitIndividually", limit=SAMPLE_ROWS)
        return
    now = datetime.fromtimestamp(ctx.clock.time(), tz=timezone.utc)
    start = parse_date(snapshot.get("windowStart") or cfg.get("startTime") or to_amazon(now - WINDOW))
    request_id, end = snapshot.get(key), snapshot.get("windowEnd")
    while True:
        if request_id is None:
            limit = now - LAG
            if limit - start < MIN_WINDOW:
                await ctx.save({"windowStart": to_amazon(start)})
                return  # caught up: the next poll asks for the next window
            end = to_amazon(min(start + WINDOW, limit))
        point = {"windowStart": to_amazon(start), "windowEnd": end}
        try:
            if request_id is None:
                request_id = await reports.request(name, to_amazon(start), end)
            await ctx.save({**point, key: request_id})
            state = await wait_for(ctx, reports, request_id)
        except StepError as exc:
            held = {**point, key: request_id} if request_id else {"windowStart": to_amazon(start)}
            await ctx.settle(exc, held, where=f"window from {point['windowStart']} not finished; it resumes there",
                             retry_after_ms=ctx.settings.response_check_delay_ms)
            return
        try:
            document = finished(state, request_id, cancelled_is_empty=True)
        except ReportNotMade:
            await ctx.save({"windowStart": to_amazon(start)})  # the next poll asks for this window anew
            raise
        skip = int(snapshot.get("rowsEmitted") or 0) if request_id == snapshot.get(key) else 0
        try:
            count = await emit_rows(ctx, reports, document, name, "emitIndividually", skip=skip)
        except RowsCut as cut:
            await ctx.suspend({**point, key: request_id, "rowsEmitted": cut.emitted}, cut.message, retry_after_ms=0)
            return
        ctx.log.info("window %s to %s: %d rows (report %s)", point["windowStart"], end, count, request_id)
        start, request_id = parse_date(str(end)), None
        await ctx.save({"windowStart": to_amazon(start)})
