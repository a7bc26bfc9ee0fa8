"""Get New And Updated Orders: a polling trigger over the orders updated after a watermark.

Written once for both backends: the backend adapter (app.backends.orders_for) reads a window's pages
(ListOrders on MWS) and says what an order version is; the window rules live here.

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

from typing import Any

from app.backends import SPAPI, backend_name, orders_for
from app.backends.ports import OrdersBackend
from app.dates import EPOCH, DateFormatError, normalize, parse_date, to_amazon
from app.model import load
from app.runtime.context import StepContext
from app.runtime.errors import InputProblem, StepError

ORDER_STATUSES = {
    "PendingAvailability": "Pending Availability (pre-orders, JP)",
    "Pending": "Pending",
    "Unshipped": "Unshipped",
    "PartiallyShipped": "Partially Shipped",
    "Shipped": "Shipped",
    "Canceled": "Canceled",
    "Unfulfillable": "Unfulfillable",
}
INCLUDED_DATA: dict[str, str] = dict(load("spapi", "orders")["includedData"])  # SP-API only
EMIT_BEHAVIORS = {
    "emitIndividually": "Emit Individually",
    "fetchPage": "Fetch Page",
    "fetchAll": "Fetch All",
}


def select_model(field: str, cfg: dict[str, Any]) -> dict[str, str] | None:
    return {"orderStatuses": ORDER_STATUSES, "emitBehavior": EMIT_BEHAVIORS,
            "includedData": INCLUDED_DATA}.get(field)


def get_meta_model(cfg: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The output follows Emit Behavior: one order a message, or {"orders": [...]} (fetchPage, fetchAll);
    the order is the backend's (MWS's, or SP-API's v2026 Order)."""
    draft = "https://json-schema.org/draft/2020-12/schema"
    order = {"$ref": ("../spapi/common/order.json" if backend_name(cfg) == SPAPI else "../common/order.json")}
    if (cfg.get("emitBehavior") or "emitIndividually") == "emitIndividually":
        out: dict[str, Any] = {"$schema": draft, "title": "New or Updated Order", **order}
    else:
        out = {"$schema": draft, "type": "object", "title": "Orders (one page or one poll)", "required": ["orders"],
               "properties": {"orders": {"type": "array", "title": "Orders", "items": order,
                                         "description": "The orders of one page (Fetch Page) or of the whole window "
                                                        "(Fetch All)."}}}
    return {"in": {"type": "object"}, "out": out}


def check(msg: dict[str, Any], cfg: dict[str, Any], settings: Any) -> list[InputProblem]:
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


class _Window:
    """Where a poll stands: the window start, and the NextToken of the last page fully emitted."""

    def __init__(self, snapshot: dict[str, Any], cfg: dict[str, Any], orders: OrdersBackend) -> None:
        self.version = orders.version
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
            version = self.version(order)
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
        self.ctx, self.behavior = ctx, behavior
        self.held: list[dict[str, Any]] = []

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
    orders = orders_for(ctx)
    window = _Window(ctx.received_snapshot, cfg, orders)
    earliest = orders.earliest_start(ctx.clock.time())
    if earliest and not window.next_token and parse_date(window.start) < parse_date(earliest):
        window.start = earliest  # Amazon's horizon (SP-API: 730 days); nothing older can be asked for
    end = normalize(cfg["endTime"]) if cfg.get("endTime") else None
    if end and parse_date(window.start) >= parse_date(end):
        return
    emitter = _Emitter(ctx, cfg.get("emitBehavior") or "emitIndividually")
    restarted = False
    while True:
        try:
            await _read_window(ctx, orders, window, end, emitter)
            return
        except StepError as exc:
            if orders.restarts_window(exc) and not (restarted or ctx.sample):
                # The one case where an order may come twice: Amazon lost our place, so the window restarts.
                restarted, window.next_token, window.before = True, None, None
                window.at_end = set()
                emitter.drop_held()
                ctx.log.warning("%s: restarting the window from %s", exc.code, window.start)
                continue
            if orders.not_open_yet(exc) and not window.next_token:
                # A Start Time in the future or within Amazon's last 2 minutes: nothing to read yet.
                # Not an error: the next poll asks again from the same start.
                ctx.log.info("the window from %s is not open yet on Amazon's clock", window.start)
                return
            await emitter.flush()
            await ctx.settle(exc, window.resume_point(),
                             where=f"window from {window.start} not finished; resume from the snapshot")
            return


async def _read_window(ctx: StepContext, orders: OrdersBackend, window: _Window, end: str | None,
                       emitter: _Emitter) -> None:
    pages = 0
    async for page in orders.window_pages(ctx.cfg, window.start, end, window.next_token):
        window.before = page.window_end or window.before
        fresh = window.fresh(page.orders)
        if ctx.sample:
            # At most one page's worth, whatever the server sends (contract §5).
            await emitter.page(fresh[:int(ctx.cfg.get("maxResultsPerPage") or 100)])
            await emitter.flush()
            return
        await emitter.page(fresh)
        pages += 1
        window.next_token = page.next_token
        if page.next_token:
            ctx.log.info("window from %s: page %d emitted, more to come", window.start, pages)
            if emitter.saves_each_page:
                await ctx.snapshot(window.resume_point())
    if not window.before:
        raise StepError("Amazon answered without the window's end; the window cannot move",
                        code="MalformedResponse", retriable=True)
    await emitter.flush()
    window.start, window.next_token, window.before = normalize(window.before), None, None
    window.seen_at_start, window.at_end = window.at_end, set()
    await ctx.snapshot(window.resume_point())
