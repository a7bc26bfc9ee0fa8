"""Time as an injected dependency.

The MWS client's pacing, the step deadline and the sandbox's quotas and feed progress all read time
through a `Clock`, so tests drive a `VirtualClock` and a one-minute restore costs nothing. The
client and the sandbox share nothing but this protocol.
"""
from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    def time(self) -> float:
        """Seconds since the epoch (UTC)."""

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of this clock's time."""


class SystemClock:
    def time(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            await asyncio.sleep(seconds)


class VirtualClock:
    """A clock that only moves when told to, or when someone sleeps on it.

    `sleep` advances the time at once and yields to the event loop, so code that waits out a
    throttle in a test finishes instantly while seeing the full wait on the clock.
    """

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self._now = float(start)
        self.slept: float = 0.0

    def time(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += max(0.0, seconds)

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._now += seconds
            self.slept += seconds
        await asyncio.sleep(0)

