"""The object a trigger or action runs with: its input, its services and its way to emit events.

A step module exposes `async def process(ctx: StepContext, msg: dict) -> None` (the protocol:
app.runtime.protocol) and emits through `await ctx.data(...)`, `ctx.snapshot(...)`, `ctx.rebound(...)`,
`ctx.error(...)`. A step that meets a failure where it holds a resume point hands both to
`ctx.settle(exc, resume_point)`: app.runtime.outcome decides rebound or error, and the resume point
becomes the snapshot either way (`suspend` saves it and rebounds). Events go to a
sink the executor supplies (a list for JSON answers, a bounded queue for NDJSON streams, so a
step that emits 100,000 orders is held back by the reader instead of piling them up in memory).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Literal

import httpx

from app.clock import Clock
from app.runtime.errors import StepError
from app.runtime.outcome import Outcome, resolve
from app.settings import Settings

Mode = Literal["run", "sample"]
EventSink = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class Services:
    """Process-wide things steps share: settings, clock, HTTP client, and long-lived state such as
    the MWS pacing buckets (which must outlive one execution to be of any use)."""

    settings: Settings
    clock: Clock
    http: httpx.AsyncClient
    shared: dict[str, Any] = field(default_factory=dict)
    default_endpoint: str | None = None
    sandbox_origin: str | None = None  # the mounted sandbox's in-process origin; each backend adds its path

    def singleton(self, key: str, factory: Callable[[], Any]) -> Any:
        if key not in self.shared:
            self.shared[key] = factory()
        return self.shared[key]


class StepContext:
    def __init__(
        self,
        *,
        step_key: str,
        kind: Literal["trigger", "action"],
        mode: Mode,
        cfg: dict[str, Any],
        snapshot: dict[str, Any],
        services: Services,
        sink: EventSink,
        log: logging.LoggerAdapter | logging.Logger,
    ) -> None:
        self.step_key = step_key
        self.kind = kind
        self.mode = mode
        self.cfg = cfg
        self.received_snapshot = snapshot
        self.services = services
        self.settings = services.settings
        self.clock = services.clock
        self.http = services.http
        self.log = log
        self._sink = sink
        self.started = self.clock.time()
        self.deadline = self.started + self.settings.step_timeout_ms / 1000.0
        self.last_snapshot: dict[str, Any] | None = None
        self.outcome: Literal["ok", "error", "rebound"] = "ok"

    @property
    def sample(self) -> bool:
        return self.mode == "sample"

    async def data(self, body: dict[str, Any]) -> None:
        if not isinstance(body, dict):
            raise TypeError("a data event's body is an object, never an array")
        await self._sink({"type": "data", "body": body})

    async def snapshot(self, body: dict[str, Any]) -> None:
        self.last_snapshot = dict(body)
        await self._sink({"type": "snapshot", "body": self.last_snapshot})

    async def rebound(self, reason: str, retry_after_ms: int | None = None) -> None:
        self.outcome = "rebound"
        delay = self.settings.throttle_retry_delay_ms if retry_after_ms is None else int(retry_after_ms)
        await self._sink({"type": "rebound", "reason": reason, "retryAfterMs": delay})

    async def save(self, state: dict[str, Any]) -> None:
        """Emit `state` as the snapshot unless it is the last one emitted already."""
        if self.last_snapshot != state:
            await self.snapshot(state)

    async def suspend(self, resume_point: dict[str, Any], reason: str, retry_after_ms: int | None = None) -> None:
        """Save where the step stands and answer `rebound`: the next call resumes there."""
        await self.save(resume_point)
        await self.rebound(reason, retry_after_ms)

    async def settle(self, exc: StepError, resume_point: dict[str, Any], *, resumable: bool = True,
                     where: str = "not finished; call again with the snapshot to resume",
                     retry_after_ms: int | None = None) -> None:
        """A failure met while holding `resume_point`: answer `rebound` with it saved, or raise the
        failure as the error with it saved as the snapshot. Sample mode never moves the snapshot."""
        outcome = resolve(exc, sample=self.sample, resumable=resumable)
        if not self.sample:
            await self.save(resume_point)
        if outcome is Outcome.REBOUND:
            delay = retry_after_ms if retry_after_ms is not None else exc.retry_after_ms(
                self.settings.throttle_retry_delay_ms)
            await self.rebound(f"{exc.code}: {where}", delay)
            return
        raise exc

    async def error(self, err: StepError) -> None:
        self.outcome = "error"
        await self._sink({"type": "error", "error": err.as_error()})
