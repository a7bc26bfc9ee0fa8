"""Where the buckets live (`QUOTA_STORE`): the one small interface both stores implement, and the
error a step answers when the shared store cannot be reached.

A store keeps, per bucket name, the state of `app.pacing.buckets.Bucket`: tokens, the hour's send
times, a block after QuotaExceeded, Amazon's own count of the hour, a learned rate. Each operation is
atomic in its store (the memory store: one event loop; Redis: one server-side script), so two
callers — two steps, or two replicas — never take the same token.
"""
from __future__ import annotations

from typing import Protocol

from app.pacing.buckets import Quota
from app.runtime.errors import StepError


class QuotaStoreUnavailable(StepError):
    """The shared quota store (Redis) did not answer: nothing was sent to Amazon; try again later."""

    code = "QuotaStoreUnavailable"
    type = "Receiver"
    retriable = True


class QuotaStore(Protocol):
    """Bucket names are opaque strings; `quota` is the group's (the store may hold a learned rate)."""

    async def delay(self, name: str, quota: Quota) -> float:
        """Seconds a request made now would wait, reserving nothing."""

    async def reserve(self, name: str, quota: Quota) -> float:
        """Take a slot now; the seconds to wait before sending."""

    async def throttled(self, name: str, quota: Quota, quota_exceeded: bool, reset: float | None) -> None:
        """Amazon answered 503/429: the bucket is empty; QuotaExceeded blocks it until `reset` (epoch
        seconds; None: now), never beyond the quota's own period."""

    async def observe(self, name: str, quota: Quota, remaining: float | None, resets: float | None) -> None:
        """Amazon's count of the hour (x-mws-quota-remaining / -resetsOn) from an authenticated answer."""

    async def learn_rate(self, name: str, quota: Quota, rate: float) -> None:
        """The bucket restores at `rate` per second from now on (x-amzn-RateLimit-Limit)."""
