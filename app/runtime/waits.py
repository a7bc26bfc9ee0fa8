"""The one way a client waits before a call (pacing, a throttle's retry delay, a backoff): never past the
step's deadline, and said in the log when it is long enough for a person to wonder why a step is slow.
Both backends' clients wait through here."""
from __future__ import annotations

import logging

from app.clock import Clock
from app.runtime.errors import DeadlineExceeded

LOG_WAITS_OVER_SECONDS = 5.0


def check_deadline(clock: Clock, deadline: float | None, wait: float, operation: str, reason: str) -> None:
    """DeadlineExceeded (with `wait_seconds`, for the rebound) when waiting `wait` would pass the deadline."""
    if deadline is not None and clock.time() + wait > deadline:
        err = DeadlineExceeded(f"STEP_TIMEOUT would pass while waiting {wait:.1f} s before {operation} ({reason})")
        err.wait_seconds = wait
        raise err


async def wait_before(clock: Clock, deadline: float | None, log: logging.Logger | logging.LoggerAdapter,
                      wait: float, operation: str, reason: str) -> None:
    check_deadline(clock, deadline, wait, operation, reason)
    if wait > LOG_WAITS_OVER_SECONDS:
        log.info("waiting %.1f s before %s: %s", wait, operation, reason)
    if wait > 0:
        await clock.sleep(wait)
