"""Running one step: check its input, call `process(ctx, msg)`, collect or stream its events.

Entry points:
- `prepare(step, body, settings, hooks)` turns an execute request body into an `Invocation`, or
  raises `InputInvalid` (422) — before anything runs and before a stream opens. It checks the
  request's shape, the cfg and msg.body schemas, the component's credentials check and the step's
  own `check` / `check_snapshot` (app.runtime.protocol). It is plain CPU work: the API runs it in a
  worker thread, so a huge body never holds up other requests.
- `Executor.run(inv)` runs it and returns the JSON result of contract §3 (bytes).
- `Executor.stream(inv)` runs it as a task feeding a bounded queue and yields NDJSON lines as the
  events happen; the reader's pace holds the step back (backpressure), the last line is always
  `end`, and closing the generator (client gone) cancels the step.

Whatever escapes `process()` is resolved by app.runtime.outcome: a StepError that means "not yet"
rebounds, any other its own `as_error()`, anything else `InternalError` with a fixed message
(exception text may carry URLs or secrets; it is logged by type and stack only). The HTTP status is 200 whenever the step ran.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Awaitable, Callable, Mapping

from app import metrics
from app.runtime.component import Step
from app.runtime.context import Services, StepContext
from app.runtime.errors import InputInvalid, InputProblem, StepError
from app.runtime.outcome import Outcome, resolve
from app.runtime.protocol import ComponentHooks, NoComponentHooks
from app.runtime.validation import as_problems, problems_for
from app.settings import Settings

log = logging.getLogger("app.runtime")
INTERNAL_MESSAGE = "The step failed on an internal error; the service log has the details."


def encode(obj: Any) -> bytes:
    # backslashreplace: a lone surrogate from anywhere becomes its JSON escape, never a cut stream.
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8", "backslashreplace")


@dataclass
class Invocation:
    step: Step
    cfg: dict[str, Any]
    msg: dict[str, Any]
    snapshot: dict[str, Any]
    mode: str = "run"


def prepare(step: Step, body: Any, settings: Settings | None = None, hooks: ComponentHooks | None = None,
            *, sandbox_mounted: bool = False) -> Invocation:
    """Check an execute request's body against the step: its shape, the schemas, the component's
    credentials check (`hooks.check_cfg`) and the step's own `check` and `check_snapshot`."""
    if not isinstance(body, dict):
        raise InputInvalid([InputProblem("body", "must be a JSON object")])
    settings = settings or Settings.from_env()
    hooks = hooks or NoComponentHooks()
    problems: list[InputProblem] = []

    def obj(value: Any, path: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            problems.append(InputProblem(path, "must be an object"))
            return {}
        return value

    cfg = obj(body.get("cfg"), "cfg")
    snapshot = obj(body.get("snapshot"), "snapshot")
    mode = body.get("mode", "run")
    if mode not in ("run", "sample"):
        problems.append(InputProblem("mode", 'must be "run" or "sample"'))
    msg = obj(body.get("msg"), "msg") if step.kind == "action" else {}
    msg_body = obj(msg.get("body"), "msg.body")
    headers = obj(msg.get("headers"), "msg.headers")
    msg_id = msg.get("id")
    if msg_id is not None and not isinstance(msg_id, str):
        problems.append(InputProblem("msg.id", "must be a string"))
    if problems:
        raise InputInvalid(problems)
    variant = hooks.variant(cfg)
    problems += check_cfg(step, cfg, variant)
    if step.kind == "action":
        in_schema = step.schema_for("in", variant)
        problems += problems_for(step.component.schemas.validator(in_schema), msg_body, "msg.body")
    problems += _new(problems, as_problems(hooks.check_cfg(cfg, settings, sandbox_mounted=sandbox_mounted)))
    message: dict[str, Any] = {"body": msg_body, "headers": headers}
    if msg_id is not None:
        message["id"] = msg_id
    if not problems:
        problems += as_problems(step.hooks.check(message, cfg, settings))
        problems += as_problems(step.hooks.check_snapshot(snapshot))
    if problems:
        raise InputInvalid(problems)
    return Invocation(step=step, cfg=cfg, msg=message, snapshot=snapshot, mode=mode)


def _new(known: list[InputProblem], more: list[InputProblem]) -> list[InputProblem]:
    """`more` without the paths `known` names already (the schema and a hook may both see a field)."""
    paths = {p.path for p in known}
    return [p for p in more if p.path not in paths]


def check_cfg(step: Step, cfg: Mapping[str, Any], variant: str | None = None) -> list[InputProblem]:
    problems: list[InputProblem] = []
    for schema in step.cfg_schemas_for(variant):
        problems += problems_for(step.component.schemas.validator(schema), cfg, "cfg")
    return problems


@dataclass
class _Run:
    """One execution's bookkeeping, shared by the JSON and the NDJSON paths."""

    inv: Invocation
    snapshot: dict[str, Any]
    events: int = 0
    outcome: str = "ok"
    started: float = field(default_factory=time.monotonic)


class Executor:
    def __init__(self, services: Services, *, queue_size: int = 64) -> None:
        self.services = services
        self.queue_size = queue_size

    async def run(self, inv: Invocation) -> bytes:
        """The whole result as one JSON document: {"outcome","events","snapshot"}."""
        lines: list[bytes] = []

        async def keep(line: bytes) -> None:
            lines.append(line)

        run = await self._execute(inv, keep)
        return (b'{"outcome":' + encode(run.outcome) + b',"events":[' + b",".join(lines)
                + b'],"snapshot":' + encode(run.snapshot) + b"}")

    async def stream(self, inv: Invocation) -> AsyncIterator[bytes]:
        """NDJSON lines as they happen, then the `end` line; closing the iterator cancels the step."""
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=self.queue_size)
        box: dict[str, _Run] = {}

        async def drive() -> None:
            try:
                box["run"] = await self._execute(inv, queue.put)
            except Exception:  # the reader reports it as an error line and the end line
                log.error("step stream failed", exc_info=True, extra={"step": inv.step.key})
            await queue.put(None)  # not reached when cancelled: nobody is reading any more

        task = asyncio.create_task(drive(), name=f"step:{inv.step.key}")
        try:
            while (line := await queue.get()) is not None:
                yield line + b"\n"
            await task
            run = box.get("run")
            if run is None:
                yield encode({"type": "error", "error": _internal_error()}) + b"\n"
                end = {"type": "end", "outcome": "error", "snapshot": inv.snapshot}
            else:
                end = {"type": "end", "outcome": run.outcome, "snapshot": run.snapshot}
            yield encode(end) + b"\n"
        finally:
            if not task.done():  # the reader went away: stop the step
                task.cancel()

    async def _execute(self, inv: Invocation, sink: Callable[[bytes], Awaitable[None]]) -> _Run:
        run = _Run(inv=inv, snapshot=inv.snapshot)

        async def emit(event: dict[str, Any]) -> None:
            try:
                line = encode(event)
            except (TypeError, ValueError):
                raise TypeError(f"a {event.get('type')} event is not JSON-serializable") from None
            await sink(line)
            run.events += 1
            if event["type"] == "snapshot":
                run.snapshot = event["body"]

        step = inv.step
        ctx = StepContext(
            step_key=step.key, kind=step.kind, mode=inv.mode,  # type: ignore[arg-type]
            cfg=inv.cfg, snapshot=inv.snapshot, services=self.services, sink=emit,
            log=logging.LoggerAdapter(logging.getLogger(f"app.steps.{step.key}"), {"step": step.key}),
        )
        try:
            try:
                await step.hooks.process(ctx, inv.msg)
                run.outcome = ctx.outcome
            except StepError as exc:
                if resolve(exc, sample=ctx.sample, resumable=False) is Outcome.REBOUND:
                    await ctx.rebound(f"{exc.code}: {exc.message}; call again later",
                                      exc.retry_after_ms(self.services.settings.throttle_retry_delay_ms))
                    run.outcome = ctx.outcome
                else:
                    run.outcome = "error"
                    log.warning("step raised %s", type(exc).__name__, extra={"step": step.key, "code": exc.code})
                    try:
                        await emit({"type": "error", "error": exc.as_error()})
                    except (TypeError, ValueError):  # an error whose text cannot be written: ours instead
                        await emit({"type": "error", "error": _internal_error()})
            except Exception:
                run.outcome = "error"
                log.error("step raised", exc_info=True, extra={"step": step.key})
                await emit({"type": "error", "error": _internal_error()})
        except asyncio.CancelledError:
            run.outcome = "cancelled"
            raise
        finally:
            duration = time.monotonic() - run.started
            metrics.STEP_EXECUTIONS.labels(step.key, inv.mode, run.outcome).inc()
            metrics.STEP_DURATION.labels(step.key).observe(duration)
            log.info(
                "step executed",
                extra={"step": step.key, "kind": step.kind, "mode": inv.mode, "outcome": run.outcome,
                       "events": run.events, "durationMs": round(duration * 1000, 1)},
            )
        return run


def _internal_error() -> dict[str, Any]:
    return StepError(INTERNAL_MESSAGE, code="InternalError", type="Receiver").as_error()
