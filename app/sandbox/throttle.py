"""MWS throttling: a token bucket per (seller, developer key, throttle group), on the sandbox clock.

A bucket starts full at `max`, each request takes one token, tokens come back at
`restorePerSecond` up to `max`; an empty bucket answers 503 RequestThrottled. Groups with an
`hourly` quota (Feeds) also count requests in a fixed one-hour window from the first request and
answer 503 QuotaExceeded past it, and report `x-mws-quota-*` headers. A `...ByNextToken` operation
shares its operation's group unless the table lists it (contract §6).
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
    def __init__(self, quotas: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.quotas = merge_quotas(quotas)
        self.buckets: dict[tuple[str, str, str], Bucket] = {}

    def take(self, seller: str, key: str, action: str, now: float, operation_path: str) -> dict[str, str]:
        """Spend one request or raise 503; return the x-mws-quota-* headers (hourly groups only)."""
        group = group_of(action)
        quota = self.quotas.get(group)
        if quota is None:
            return {}
        bucket = self.buckets.get((seller, key, group))
        if bucket is None:
            bucket = Bucket(quota["max"], quota["restorePerSecond"], quota["max"], now, quota.get("hourly"))
            self.buckets[(seller, key, group)] = bucket
        bucket.refill(now)
        headers = self._hourly(bucket, now, operation_path)
        if bucket.level < 1 - 1e-9:  # float restore steps must not turn a whole request into 0.999...
            raise throttled()
        bucket.level -= 1
        if bucket.hourly is not None:
            bucket.hour_count += 1
            headers["x-mws-quota-remaining"] = f"{bucket.hourly - bucket.hour_count:.1f}"
        return headers

    def _hourly(self, bucket: Bucket, now: float, operation_path: str) -> dict[str, str]:
        if bucket.hourly is None:
            return {}
        if bucket.hour_start is None or now >= bucket.hour_start + 3600:
            bucket.hour_start, bucket.hour_count = now, 0
        resets = bucket.hour_start + 3600
        if bucket.hour_count >= bucket.hourly:
            when = datetime.fromtimestamp(resets, tz=timezone.utc).strftime("%a %b %d %H:%M:%S UTC %Y")
            raise MWSError(503, "QuotaExceeded",
                           f"You exceeded your quota of {bucket.hourly:.1f} requests per 1 hour for operation "
                           f"{operation_path}.  Your quota will reset on {when}", type="")
        return {"x-mws-quota-max": f"{bucket.hourly:.1f}",
                "x-mws-quota-remaining": f"{bucket.hourly - bucket.hour_count:.1f}",
                "x-mws-quota-resetsOn": xmlgen.iso_ms(int(resets * 1000))}

    def levels(self, now: float) -> list[dict[str, Any]]:
        out = []
        for (seller, key, group), bucket in sorted(self.buckets.items()):
            bucket.refill(now)
            entry = {"sellerId": seller, "accessKeyId": key, "group": group,
                     "level": round(bucket.level, 3), "max": bucket.max}
            if bucket.hourly is not None:
                entry["hourlyUsed"] = bucket.hour_count
                entry["hourly"] = bucket.hourly
            out.append(entry)
        return out
