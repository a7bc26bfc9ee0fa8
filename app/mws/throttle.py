"""Pacing: a token bucket per (seller, throttle group), so calls wait before Amazon throttles them.

Each bucket starts full at the group's `max`, loses one token per request and refills at
`restorePerSecond`; groups with an hourly quota also count requests in a sliding hour. Time comes
from the injected `Clock`. A request *reserves* its slot (the bucket may go negative: the callers
queue), so concurrent calls never all see the same free token. `MWS_PACING=off` never waits.
After a 503 the bucket is emptied: Amazon has told us it is.

One `Pacer` lives per process (`services.singleton("mws.pacer", ...)`): buckets only help if they
outlive one step execution.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Mapping

from app.clock import Clock
from app.mws.operations import throttle_groups
from app.settings import Settings

HOUR = 3600.0
_EPSILON = 1e-9  # float restore rates (1/60) must not leave a token at 0.9999999999


@dataclass(frozen=True)
class Quota:
    max: float
    restore_per_second: float
    hourly: float | None = None

    @property
    def restore_seconds(self) -> float:
        """Time for one token to come back."""
        return 1.0 / self.restore_per_second if self.restore_per_second > 0 else HOUR

    @classmethod
    def from_dict(cls, raw: Mapping[str, float]) -> "Quota":
        hourly = raw.get("hourly")
        return cls(float(raw["max"]), float(raw["restorePerSecond"]), float(hourly) if hourly else None)


@dataclass
class Bucket:
    quota: Quota
    tokens: float
    updated: float
    sent: deque[float] = field(default_factory=deque)  # send times within the last hour
    blocked_until: float = 0.0  # an hourly QuotaExceeded with a known reset time

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.quota.max, self.tokens + (now - self.updated) * self.quota.restore_per_second)
            self.updated = now

    def _hourly_slot(self, at: float) -> float:
        hourly = self.quota.hourly
        while self.sent and self.sent[0] <= at - HOUR:
            self.sent.popleft()
        if not hourly or len(self.sent) < hourly:
            return at
        # The oldest request still counted must leave the hour before another is allowed.
        return max(at, self.sent[-int(hourly)] + HOUR)

    def delay(self, now: float) -> float:
        """How long a request made now would wait, without reserving anything."""
        self.refill(now)
        burst = 0.0 if self.tokens >= 1 - _EPSILON else (1 - self.tokens) / self.quota.restore_per_second
        at = max(now + burst, self.blocked_until)
        return max(0.0, self._hourly_slot(at) - now)

    def reserve(self, now: float) -> float:
        """Take a slot; the seconds to wait before sending."""
        wait = self.delay(now)
        self.tokens -= 1
        self.sent.append(now + wait)
        return wait


class Pacer:
    """Token buckets per (seller id, throttle group), built-in quotas overridden by MWS_QUOTAS."""

    def __init__(
        self,
        clock: Clock,
        settings: Settings | None = None,
        *,
        quotas: Mapping[str, Mapping[str, float]] | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.clock = clock
        merged = dict(throttle_groups())
        merged.update(settings.mws_quotas if settings is not None else {})
        merged.update(quotas or {})
        self.quotas = {group: Quota.from_dict(q) for group, q in merged.items()}
        if enabled is None:
            enabled = settings.mws_pacing if settings is not None else True
        self.enabled = enabled
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def quota(self, group: str) -> Quota | None:
        return self.quotas.get(group)

    def _bucket(self, seller_id: str, group: str) -> Bucket | None:
        quota = self.quotas.get(group)
        if quota is None:
            return None
        key = (seller_id, group)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(quota, quota.max, self.clock.time())
        return bucket

    def delay(self, seller_id: str, group: str) -> float:
        """Seconds a request would wait now (0 when pacing is off or the group is unknown)."""
        bucket = self._bucket(seller_id, group)
        if not self.enabled or bucket is None:
            return 0.0
        return bucket.delay(self.clock.time())

    def reserve(self, seller_id: str, group: str) -> float:
        """Count a request now; returns how long to wait before sending it (0 when pacing is off)."""
        bucket = self._bucket(seller_id, group)
        if bucket is None:
            return 0.0
        wait = bucket.reserve(self.clock.time())
        return wait if self.enabled else 0.0

    def restore_seconds(self, group: str) -> float:
        quota = self.quotas.get(group)
        return quota.restore_seconds if quota else 0.0

    def throttled(self, seller_id: str, group: str, code: str | None = None,
                  headers: Mapping[str, str] | None = None) -> None:
        """Amazon answered 503: the bucket is empty (and, for QuotaExceeded, the hour is used up)."""
        bucket = self._bucket(seller_id, group)
        if bucket is None:
            return
        now = self.clock.time()
        bucket.refill(now)
        bucket.tokens = min(bucket.tokens, 0.0)
        if code == "QuotaExceeded":
            reset = _reset_time(headers or {})
            bucket.blocked_until = max(bucket.blocked_until, reset if reset is not None else now)


def _reset_time(headers: Mapping[str, str]) -> float | None:
    """`x-mws-quota-resetsOn`: ISO-8601 (2020-06-25T13:12:00.000Z) or RFC 1123; None if absent."""
    raw = next((v for k, v in headers.items() if k.lower() == "x-mws-quota-resetson"), None)
    if not raw:
        return None
    raw = raw.strip()
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
    except ValueError:
        pass
    try:
        dt = parsedate_to_datetime(raw)
        return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp()
    except (TypeError, ValueError):
        return None
