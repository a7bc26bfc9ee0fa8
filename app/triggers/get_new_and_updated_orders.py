"""Get New And Updated Orders: a polling trigger over ListOrders by LastUpdatedAfter.

Each poll reads one window, from the stored watermark to Amazon's echoed `LastUpdatedBefore`, and
emits every order in it once. The watermark moves only when the whole window has been emitted; a
poll cut short keeps the window start and the NextToken of the last page it emitted, so the next
poll resumes exactly there (contract §5). Amazon's clock, never ours, sets the next start.

Amazon documents both window bounds as inclusive ("at or after", "at or before"), so an order
updated exactly at the echoed LastUpdatedBefore can come in two consecutive windows. The orders a
window emitted at its very end are kept in the snapshot (`seenAtStart`) and skipped once by the
next window, so they are still emitted exactly once.
"""
from __future__ import annotations

import re
from typing import Any

from app.dates import DateFormatError, EPOCH, normalize, parse_date, to_amazon
from app.mws.client import client_for
from app.mws.errors import MalformedResponse, NextTokenCorrupted, RequestError
from app.runtime.context import StepContext
from app.runtime.errors import DeadlineExceeded, InputProblem, StepError

ORDER_STATUSES = {
    "PendingAvailability": "Pending Availability (pre-orders, JP)",
    "Pending": "Pending",
    "Unshipped": "Unshipped",
    "PartiallyShipped": "Partially Shipped",
    "Shipped": "Shipped",
    "Canceled": "Canceled",
    "Unfulfillable": "Unfulfillable",
}
EMIT_BEHAVIORS = {
    "emitIndividually": "Emit Individually",
    "fetchPage": "Fetch Page",
    "fetchAll": "Fetch All",
}
# Amazon refuses one of these without the other.
_PAIRED = ("Unshipped", "PartiallyShipped")
# Amazon's answers to a LastUpdatedAfter later than its now − 2 minutes, in both wordings seen:
# "The LastUpdatedAfter date is after the LastUpdatedBefore date" and
# "LastUpdatedAfter date [...] cannot be after LastUpdatedBefore date [...]".
_NOT_OPEN_YET = re.compile(r"LastUpdatedAfter date .*(is|cannot be) after .*LastUpdatedBefore")


def select_model(field: str, cfg: dict[str, Any]) -> dict[str, str]:
    return {"orderStatuses": ORDER_STATUSES, "emitBehavior": EMIT_BEHAVIORS}[field]


def check(msg: dict[str, Any], cfg: dict[str, Any]) -> list[InputProblem]:
    problems, moments = [], {}
    for name in ("startTime", "endTime"):
        if cfg.get(name):
            try:
                moments[name] = parse_date(str(cfg[name]))
            except DateFormatError as exc:
                problems.append(InputProblem(f"cfg.{name}", str(exc)))
    if len(moments) == 2 and moments["endTime"] <= moments["startTime"]:
        problems.append(InputProblem("cfg.endTime", "End Time must be later than Start Time"))
    return problems


def check_snapshot(snapshot: dict[str, Any]) -> list[InputProblem]:
    """A snapshot edited by hand (the platform lets users) must still name dates Amazon accepts."""
    problems = []
    for name in ("lastUpdatedAfter", "lastUpdatedBefore"):
        value = snapshot.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(InputProblem(f"snapshot.{name}", "must be a date string"))
            continue
        try:
            parse_date(value)
        except DateFormatError as exc:
            problems.append(InputProblem(f"snapshot.{name}", str(exc)))
    if snapshot.get("nextToken") is not None and not isinstance(snapshot["nextToken"], str):
        problems.append(InputProblem("snapshot.nextToken", "must be a string"))
    for name in ("seenAtStart", "seenAtEnd"):
        seen = snapshot.get(name)
        if seen is not None and not (isinstance(seen, list) and all(isinstance(v, str) for v in seen)):
            problems.append(InputProblem(f"snapshot.{name}", "must be a list of strings"))
    return problems


def _version(order: dict[str, Any]) -> str | None:
    """An order version's identity, dates compared as instants whatever their spelling."""
    try:
        return f"{order['amazonOrderId']}@{normalize(order['lastUpdateDate'])}"
    except (KeyError, TypeError, DateFormatError):
        return None


def _statuses(cfg: dict[str, Any]) -> list[str]:
    chosen = list(dict.fromkeys(cfg.get("orderStatuses") or []))
    if any(s in chosen for s in _PAIRED):
        chosen += [s for s in _PAIRED if s not in chosen]
    return chosen


def _params(cfg: dict[str, Any], start: str, end: str | None) -> dict[str, str]:
    params = {
        "MarketplaceId.Id.1": cfg["marketplaceId"],
        "LastUpdatedAfter": start,
        "MaxResultsPerPage": str(int(cfg.get("maxResultsPerPage") or 100)),
    }
    if end:
        params["LastUpdatedBefore"] = end
    for n, status in enumerate(_statuses(cfg), start=1):
        params[f"OrderStatus.Status.{n}"] = status
    return params


class _Window:
    """Where a poll stands: the window start, and the NextToken of the last page fully emitted."""

    def __init__(self, snapshot: dict[str, Any], cfg: dict[str, Any]) -> None:
        start = snapshot.get("lastUpdatedAfter") or cfg.get("startTime")
        self.start = normalize(start) if start else to_amazon(EPOCH)
        self.next_token: str | None = snapshot.get("nextToken")
        self.before: str | None = snapshot.get("lastUpdatedBefore")
        # Versions the previous window emitted at this window's start (see the module docstring).
        self.seen_at_start: set[str] = set(snapshot.get("seenAtStart") or ())
        self.at_end: set[str] = set(snapshot.get("seenAtEnd") or ())

    def fresh(self, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The orders of a page not already emitted at the start, noting those at the window's end."""
        end = normalize(self.before) if self.before else None
        kept = []
        for order in orders:
            version = _version(order)
            if version is not None and version in self.seen_at_start:
                continue
            if version is not None and end is not None and version.endswith("@" + end):
                self.at_end.add(version)
            kept.append(order)
        return kept

    def resume_point(self) -> dict[str, Any]:
        point: dict[str, Any] = {"lastUpdatedAfter": self.start}
        if self.next_token:
            point["nextToken"] = self.next_token
            if self.before:
                point["lastUpdatedBefore"] = self.before
            if self.at_end:
                point["seenAtEnd"] = sorted(self.at_end)
        if self.seen_at_start:
            point["seenAtStart"] = sorted(self.seen_at_start)
        return point


class _Emitter:
    """Emits per order, per page or per window, and knows what is still held back (fetchAll)."""

    def __init__(self, ctx: StepContext, behavior: str) -> None:
        self.ctx, self.behavior, self.held = ctx, behavior, []

    async def page(self, orders: list[dict[str, Any]]) -> None:
        if self.behavior == "fetchAll":
            self.held.extend(orders)
        elif self.behavior == "fetchPage":
            if orders:
                await self.ctx.data({"orders": orders})
        else:
            for order in orders:
                await self.ctx.data(order)

    def drop_held(self) -> None:
        """A restarted window reads its pages again: what fetchAll held would come twice."""
        self.held = []

    async def flush(self) -> None:
        if self.held:
            held, self.held = self.held, []
            await self.ctx.data({"orders": held})

    @property
    def saves_each_page(self) -> bool:
        return self.behavior != "fetchAll"


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    cfg = ctx.cfg
    window = _Window(ctx.received_snapshot, cfg)
    end = normalize(cfg["endTime"]) if cfg.get("endTime") else None
    if end and parse_date(window.start) >= parse_date(end):
        return
    emitter = _Emitter(ctx, cfg.get("emitBehavior") or "emitIndividually")
    client = client_for(ctx)
    restarted = False
    while True:
        try:
            await _read_window(ctx, client, window, _params(cfg, window.start, end), emitter)
            return
        except NextTokenCorrupted:
            # The one case where an order may come twice: Amazon lost our place, so the window restarts.
            if restarted or ctx.sample:
                raise
            restarted, window.next_token, window.before = True, None, None
            window.at_end = set()
            emitter.drop_held()
            ctx.log.warning("NextTokenCorrupted: restarting the window from %s", window.start)
        except StepError as exc:
            if _not_open_yet(exc, window):
                # A Start Time in the future or within Amazon's last 2 minutes: nothing to read yet.
                # Not an error: the next poll asks again from the same start.
                ctx.log.info("the window from %s is not open yet on Amazon's clock", window.start)
                return
            await emitter.flush()
            if ctx.sample:
                raise
            if ctx.last_snapshot != window.resume_point():  # the last page's snapshot may say it already
                await ctx.snapshot(window.resume_point())
            if isinstance(exc, DeadlineExceeded) or exc.retriable:
                await ctx.rebound(f"{exc.code}: window from {window.start} not finished; resume from the snapshot",
                                  exc.retry_after_ms(ctx.settings.throttle_retry_delay_ms))
                return
            raise


def _not_open_yet(exc: StepError, window: _Window) -> bool:
    return (isinstance(exc, RequestError) and exc.code == "InvalidParameterValue"
            and _NOT_OPEN_YET.search(exc.message) is not None and not window.next_token)


async def _read_window(ctx: StepContext, client, window: _Window, params: dict[str, str], emitter: _Emitter) -> None:
    pages = 0
    async for page in client.pages("ListOrders", params, next_token=window.next_token):
        window.before = page.data.get("lastUpdatedBefore") or window.before
        await emitter.page(window.fresh(page.data.get("orders") or []))
        pages += 1
        if ctx.sample:
            await emitter.flush()
            return
        window.next_token = page.next_token
        if page.next_token:
            ctx.log.info("ListOrders window from %s: page %d emitted, more to come", window.start, pages)
            if emitter.saves_each_page:
                await ctx.snapshot(window.resume_point())
    if not window.before:
        raise MalformedResponse("ListOrders answered without LastUpdatedBefore; the window cannot move")
    await emitter.flush()
    window.start, window.next_token, window.before = normalize(window.before), None, None
    window.seen_at_start, window.at_end = window.at_end, set()
    await ctx.snapshot(window.resume_point())
