"""MWS throttling: a token bucket per (seller, developer key, section, throttle group), on the sandbox clock.

A bucket starts full at `max`, each request takes one token, tokens come back at
`restorePerSecond` up to `max`; an empty bucket answers 503 RequestThrottled. The groups and quotas
are the shared wire model's (app/model/mws/throttle.json, via wire.py); a `...ByNextToken` shares its
operation's group unless the model lists it (contract §6). Buckets are per section's operation, as
Amazon's are: GetServiceStatus of Orders and GetServiceStatus of Sellers are two buckets.

Groups with an `hourly` quota (Feeds) also count requests per hour and answer 503 QuotaExceeded past
it, and report `x-mws-quota-*` headers on every answer, the 503s included. The hour resets at a fixed
moment of the clock, as Amazon's does (every real resetsOn fell at minute :12, mws-api.md §5.3): at
`reset_minute` past each hour when one is given, else at the minute and second of the caller's first
request, every hour after that; an idle hour does not move the reset time.

`time_scale` (SANDBOX_TIME_SCALE) speeds up the quotas only, not the clock: tokens come back
`time_scale` times faster and the "hour" lasts 3600 / `time_scale` seconds (resetsOn says so), while
`now` stays the sandbox clock's own time.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from . import wire, xmlgen
from .errors import MWSError, throttled


def group_of(action: str) -> str:
    return wire.throttle_group(action)


def merge_quotas(overrides: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, float]]:
    table = wire.throttle_groups()
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
    first_reset: float | None = None     # the hourly grid: resets at first_reset + k × window
    resets: float | None = None          # the current hour's reset moment
    hour_count: int = 0

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.level = min(self.max, self.level + (now - self.updated) * self.rate)
        self.updated = max(self.updated, now)


class Throttle:
    def __init__(self, quotas: Mapping[str, Mapping[str, Any]] | None = None, time_scale: float = 1.0,
                 reset_minute: int | None = None) -> None:
        if not time_scale > 0:
            raise ValueError(f"time_scale must be positive, not {time_scale!r}")
        if reset_minute is not None and not 0 <= reset_minute < 60:
            raise ValueError(f"reset_minute must be 0..59, not {reset_minute!r}")
        self.quotas = merge_quotas(quotas)
        self.time_scale = float(time_scale)
        self.window = 3600 / self.time_scale   # seconds of the hourly quota's window
        self.reset_minute = reset_minute
        self.buckets: dict[tuple[str, str, str, str], Bucket] = {}

    def _bucket(self, seller: str, key: str, action: str, now: float, operation_path: str) -> Bucket | None:
        group = group_of(action)
        quota = self.quotas.get(group)
        if quota is None:
            return None
        section = operation_path.split("/", 1)[0] if "/" in operation_path else ""
        bucket = self.buckets.get((seller, key, section, group))
        if bucket is None:
            rate = quota["restorePerSecond"] * self.time_scale
            bucket = Bucket(quota["max"], rate, quota["max"], now, quota.get("hourly"))
            self.buckets[(seller, key, section, group)] = bucket
        bucket.refill(now)
        return bucket

    def take(self, seller: str, key: str, action: str, now: float, operation_path: str) -> dict[str, str]:
        """Spend one request or raise 503; return the x-mws-quota-* headers (hourly groups only).

        `operation_path` is "Section/Version/Action"; its section keys the bucket.
        """
        bucket = self._bucket(seller, key, action, now, operation_path)
        if bucket is None:
            return {}
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

    def peek(self, seller: str, key: str, action: str, now: float, operation_path: str) -> dict[str, str]:
        """The x-mws-quota-* headers an answer of `action` carries now, spending nothing (for faults)."""
        if (self.quotas.get(group_of(action)) or {}).get("hourly") is None:
            return {}
        bucket = self._bucket(seller, key, action, now, operation_path)
        if bucket is None or bucket.hourly is None:
            return {}
        return self._headers(bucket, bucket.hourly, self._roll(bucket, now))

    def _roll(self, bucket: Bucket, now: float) -> float:
        """Move the bucket's hour to the one `now` is in, on the fixed grid of reset moments; its reset moment."""
        first = bucket.first_reset
        if first is None:
            first = bucket.first_reset = self._first_reset(now)
        resets = first if bucket.resets is None else bucket.resets
        if now >= resets:
            k = math.floor((now - first) / self.window) + 1
            resets, bucket.hour_count = first + k * self.window, 0
        bucket.resets = resets
        return resets

    def _first_reset(self, now: float) -> float:
        if self.reset_minute is None:
            return now + self.window           # the caller's first request fixes the minute
        offset = self.reset_minute * 60 / self.time_scale
        return offset + (math.floor((now - offset) / self.window) + 1) * self.window

    @staticmethod
    def _headers(bucket: Bucket, hourly: float, resets: float) -> dict[str, str]:
        return {"x-mws-quota-max": f"{hourly:.1f}",
                "x-mws-quota-remaining": f"{max(0.0, hourly - bucket.hour_count):.1f}",
                "x-mws-quota-resetsOn": xmlgen.iso_ms(int(resets * 1000))}

    def _hourly(self, bucket: Bucket, now: float, operation_path: str) -> dict[str, str]:
        hourly = bucket.hourly
        if hourly is None:
            return {}
        resets = self._roll(bucket, now)
        headers = self._headers(bucket, hourly, resets)
        if bucket.hour_count >= hourly:
            err = MWSError("QuotaExceeded",
                           f"You exceeded your quota of {bucket.hourly:.1f} requests per 1 hour for operation "
                           f"{operation_path}.  Your quota will reset on {_message_date(resets)}")
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
