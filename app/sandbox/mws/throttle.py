"""MWS throttling: a token bucket per (seller, developer key, section, throttle group), on the sandbox clock.

A bucket starts full at `max`, each request takes one token, tokens come back at
`restorePerSecond` up to `max`; an empty bucket answers 503 RequestThrottled. Groups with an
`hourly` quota (Feeds) also count requests in a fixed one-hour window from the first request and
answer 503 QuotaExceeded past it, and report `x-mws-quota-*` headers on every answer, the 503s
included (a client learns when the hour resets from them). A `...ByNextToken` operation shares its
operation's group unless the table lists it (contract §6). Buckets are per section's operation, as
Amazon's are: GetServiceStatus of Orders and GetServiceStatus of Sellers are two buckets.

`time_scale` (SANDBOX_TIME_SCALE) speeds up the quotas only, not the clock: tokens come back
`time_scale` times faster and the hourly window lasts 3600 / `time_scale` seconds (its resetsOn
says so), while `now` stays the sandbox clock's own time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from . import xmlgen
from .exceptions import MWSError, throttled

DEFAULT_QUOTAS: dict[str, dict[str, float]] = {
    "ListOrders": {"max": 6, "restorePerSecond": 1 / 60},
    "GetOrder": {"max": 6, "restorePerSecond": 1 / 60},
    "ListOrderItems": {"max": 30, "restorePerSecond": 1 / 2},
    "ListMarketplaceParticipations": {"max": 15, "restorePerSecond": 1 / 60},
    "GetServiceStatus": {"max": 2, "restorePerSecond": 1 / 300},
    "SubmitFeed": {"max": 15, "restorePerSecond": 1 / 120, "hourly": 30},
    "GetFeedSubmissionList": {"max": 10, "restorePerSecond": 1 / 45, "hourly": 80},
    "GetFeedSubmissionListByNextToken": {"max": 30, "restorePerSecond": 1 / 2, "hourly": 1800},
    "GetFeedSubmissionCount": {"max": 10, "restorePerSecond": 1 / 45, "hourly": 80},
    "CancelFeedSubmissions": {"max": 10, "restorePerSecond": 1 / 45, "hourly": 80},
    "GetFeedSubmissionResult": {"max": 15, "restorePerSecond": 1 / 60, "hourly": 60},
}


def group_of(action: str) -> str:
    if action in DEFAULT_QUOTAS:
        return action
    if action.endswith("ByNextToken"):
        return action[: -len("ByNextToken")]
    return action


def merge_quotas(overrides: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, float]]:
    table = {group: dict(q) for group, q in DEFAULT_QUOTAS.items()}
    for group, quota in (overrides or {}).items():
        table.setdefault(group, {}).update({k: float(v) for k, v in quota.items()})
    return table


@dataclass
class Bucket:
    max: float
    rate: float
    level: float
    updated: float
    hourly: float | None = None
    hour_start: float | None = None
    hour_count: int = 0

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.level = min(self.max, self.level + (now - self.updated) * self.rate)
        self.updated = max(self.updated, now)


class Throttle:
    def __init__(self, quotas: Mapping[str, Mapping[str, Any]] | None = None, time_scale: float = 1.0) -> None:
        if not time_scale > 0:
            raise ValueError(f"time_scale must be positive, not {time_scale!r}")
        self.quotas = merge_quotas(quotas)
        self.time_scale = float(time_scale)
        self.window = 3600 / self.time_scale   # seconds of the hourly quota's window
        self.buckets: dict[tuple[str, str, str, str], Bucket] = {}

    def take(self, seller: str, key: str, action: str, now: float, operation_path: str) -> dict[str, str]:
        """Spend one request or raise 503; return the x-mws-quota-* headers (hourly groups only).

        `operation_path` is "Section/Version/Action"; its section keys the bucket.
        """
        group = group_of(action)
        quota = self.quotas.get(group)
        if quota is None:
            return {}
        section = operation_path.split("/", 1)[0] if "/" in operation_path else ""
        bucket = self.buckets.get((seller, key, section, group))
        if bucket is None:
            rate = quota["restorePerSecond"] * self.time_scale
            bucket = Bucket(quota["max"], rate, quota["max"], now, quota.get("hourly"))
            self.buckets[(seller, key, section, group)] = bucket
        bucket.refill(now)
        headers = self._hourly(bucket, now, operation_path)
        if bucket.level < 1 - 1e-9:  # float restore steps must not turn a whole request into 0.999...
            err = throttled()
            err.quota_headers = headers
            raise err
        bucket.level -= 1
        if bucket.hourly is not None:
            bucket.hour_count += 1
            headers["x-mws-quota-remaining"] = f"{bucket.hourly - bucket.hour_count:.1f}"
        return headers

    def _hourly(self, bucket: Bucket, now: float, operation_path: str) -> dict[str, str]:
        if bucket.hourly is None:
            return {}
        if bucket.hour_start is None or now >= bucket.hour_start + self.window:
            bucket.hour_start, bucket.hour_count = now, 0
        resets = bucket.hour_start + self.window
        headers = {"x-mws-quota-max": f"{bucket.hourly:.1f}",
                   "x-mws-quota-remaining": f"{max(0.0, bucket.hourly - bucket.hour_count):.1f}",
                   "x-mws-quota-resetsOn": xmlgen.iso_ms(int(resets * 1000))}
        if bucket.hour_count >= bucket.hourly:
            err = MWSError(503, "QuotaExceeded",
                           f"You exceeded your quota of {bucket.hourly:.1f} requests per 1 hour for operation "
                           f"{operation_path}.  Your quota will reset on {_message_date(resets)}", type="")
            err.quota_headers = headers
            raise err
        return headers

    def levels(self, now: float) -> list[dict[str, Any]]:
        out = []
        for (seller, key, section, group), bucket in sorted(self.buckets.items()):
            bucket.refill(now)
            entry = {"sellerId": seller, "accessKeyId": key, "group": group,
                     "level": round(bucket.level, 3), "max": bucket.max}
            if section:
                entry["section"] = section
            if bucket.hourly is not None:
                entry["hourlyUsed"] = bucket.hour_count
                entry["hourly"] = bucket.hourly
            out.append(entry)
        return out


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _message_date(epoch: float) -> str:
    """Amazon's "Thu Oct 24 00:42:00 UTC 2013", in English whatever the process locale."""
    dt = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return f"{_DAYS[dt.weekday()]} {_MONTHS[dt.month - 1]} {dt:%d %H:%M:%S} UTC {dt.year}"
