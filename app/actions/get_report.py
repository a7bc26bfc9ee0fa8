"""Get Report: request a report, wait for it (every RESPONSE_CHECK_DELAY), read it and emit its rows
keyed by the report's own header — one message per row, streamed, or one `{"rows": [...]}`.

A report Amazon makes on its own (settlements) and sample mode read the newest existing report
instead of requesting one (sample: its first rows). A rebound keeps the request's id in the snapshot:
the next call waits for the same report, never requesting it twice.
"""
from __future__ import annotations

from typing import Any

from app.backends import reports_for
from app.dates import DateFormatError, normalize
from app.runtime.context import StepContext
from app.runtime.errors import InputProblem, StepError
from app.settings import Settings
from app.steps.reports import (
    DRAFT,
    EMIT_BEHAVIORS,
    REPORT_TYPES,
    SAMPLE_ROWS,
    TYPES,
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


def select_model(field: str, cfg: dict[str, Any]) -> dict[str, str] | None:
    return {"reportType": REPORT_TYPES, "emitBehavior": EMIT_BEHAVIORS}.get(field)


def get_meta_model(cfg: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The output has the chosen report's columns; Fetch All wraps the rows in {"rows": [...]}."""
    row = row_schema(cfg.get("reportType"))
    if (cfg.get("emitBehavior") or "emitIndividually") == "fetchAll":
        out = {"$schema": DRAFT, "type": "object", "title": "Report rows", "required": ["rows"],
               "properties": {"rows": {"type": "array", "title": "Rows", "items": row,
                                       "description": "Every row of the report."}}}
    else:
        out = {"$schema": DRAFT, **row}
    return {"in": {"$schema": DRAFT, "$ref": "getReport.in.json"}, "out": out}


def check(msg: dict[str, Any], cfg: dict[str, Any], settings: Settings) -> list[InputProblem]:
    problems = []
    for where, source in (("cfg", cfg), ("msg.body", msg.get("body") or {})):
        for name in ("startTime", "endTime"):
            value = source.get(name)
            if value not in (None, ""):
                try:
                    normalize(str(value))
                except DateFormatError:
                    problems.append(InputProblem(f"{where}.{name}", "must be a date and time such as "
                                                                    "2026-11-01T00:00:00Z"))
    return problems


def _window(ctx: StepContext, msg: dict[str, Any]) -> tuple[str | None, str | None]:
    body = msg.get("body") or {}
    given = [body.get(name) or ctx.cfg.get(name) for name in ("startTime", "endTime")]
    start, end = (normalize(str(value)) if value else None for value in given)
    return start, end


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    cfg = ctx.cfg
    reports, name = reports_for(ctx), name_of(cfg)
    behavior = cfg.get("emitBehavior") or "emitIndividually"
    if ctx.sample or not TYPES[cfg["reportType"]]["requestable"]:
        document = await reports.latest(name)
        if document is None:
            raise NoReport(f"Amazon holds no {REPORT_TYPES[cfg['reportType']].lower()} report for this seller yet")
        await emit_rows(ctx, reports, document, name, behavior, limit=SAMPLE_ROWS if ctx.sample else None)
        return
    key = id_key(cfg)
    request_id: str | None = ctx.received_snapshot.get(key)
    try:
        if request_id is None:
            start, end = _window(ctx, msg)
            request_id = await reports.request(name, start, end)
            await ctx.snapshot({key: request_id})
        else:
            ctx.log.info("report %s: resuming the wait, not requesting again", request_id)
        state = await wait_for(ctx, reports, request_id)
    except StepError as exc:
        await ctx.settle(exc, {key: request_id} if request_id else {}, resumable=request_id is not None,
                         where=f"report {request_id or '(not requested)'} not ready; call again with the snapshot",
                         retry_after_ms=ctx.settings.response_check_delay_ms)
        return
    try:
        document = finished(state, request_id)
    except ReportNotMade:
        await ctx.snapshot({})  # a report Amazon gave up on is never waited for again
        raise
    skip = int(ctx.received_snapshot.get("rowsEmitted") or 0)
    try:
        count = await emit_rows(ctx, reports, document, name, behavior, skip=skip)
    except RowsCut as cut:
        await ctx.suspend({key: request_id, "rowsEmitted": cut.emitted}, cut.message, retry_after_ms=0)
        return
    await ctx.snapshot({})
    ctx.log.info("report %s: %d rows read, %d emitted by this call", request_id, count, count - skip)


def check_snapshot(snapshot: dict[str, Any]) -> list[InputProblem]:
    problems = [InputProblem(f"snapshot.{key}", "must be a non-empty string") for key in ("reportRequestId", "reportId")
                if snapshot.get(key) is not None and not (isinstance(snapshot[key], str) and snapshot[key].strip())]
    rows = snapshot.get("rowsEmitted")
    if rows is not None and not (type(rows) is int and rows >= 0):
        problems.append(InputProblem("snapshot.rowsEmitted", "must be a whole number, 0 or more"))
    return problems
