"""Token buckets: the arithmetic of pacing, one bucket per (bucket key, throttle group), so calls wait
before Amazon throttles them (app.pacing.pacer holds them; app.pacing.redis does the same sums in Redis).

The bucket key is opaque to the pacer (any hashable; an SP-API client passes its own, with
operationIds as groups). The MWS client's key is a `BucketKey`: endpoint + seller + a fingerprint of
the credentials, so a caller who knows a seller id (nearly public) but not the secret, or who talks
to another endpoint, has buckets of their own and cannot drain or block the seller's.

Each bucket starts full at the group's `max`, loses one token per request and refills at
`restorePerSecond`; groups with an hourly quota also count requests in a sliding hour. Time comes
from the injected `Clock`. A request *reserves* its slot (the bucket may go negative: the callers
queue), so concurrent calls never all see the same free token. `MWS_PACING=off` never waits.
After a 503 the bucket is emptied: Amazon has told us it is.

The pacer counts a request when it is *sent*; Amazon counts it when it *arrives*. A request that
travels faster than the one before it arrives early, so a wait of exactly one restore interval can
meet 0.99 tokens and a 503. Hence `PACING_PAD_SECONDS`: the pacer's tokens come back one restore
interval plus the pad apart (the pad is never credited back, so the margin grows with every paced
request), and every pacing wait gets the pad once more on top. The burst (a full bucket) is sent at
once, as before.

Groups with an hourly quota also learn from Amazon: every answer's `x-mws-quota-remaining` /
`x-mws-quota-resetsOn` (`observe`) counts what other processes sharing the account have spent, and
a QuotaExceeded blocks the group until the reset time, from the header or else from Amazon's message
("... Your quota will reset on Thu Oct 24 00:42:00 UTC 2013"). A reset time is never believed
beyond the quota's own period: an hourly group is blocked at most an hour from now, any other
group at most its restore time × max (a full refill). Only answers to authenticated calls teach a
bucket; the client does not report 401/403 answers.

The number of buckets is bounded (`MAX_BUCKETS`, least recently used dropped first): endless new
keys (random secrets) cannot fill memory.

"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Mapping

HOUR = 3600.0
MIN_RATE, MAX_RATE = 1e-5, 1000.0  # a learned rate outside these is no rate Amazon would give
MAX_BUCKETS = 10_000
_EPSILON = 1e-9  # float restore rates (1/60) must not leave a token at 0.9999999999
# Safety margin per restore interval and per pacing wait, for the spread of network latency
# between consecutive requests (Amazon counts arrival times, we count send times). 0.25 s costs
# ListOrders one page in its first hour (65 of 66) and keeps 50-400 ms of jitter clear of 503s.
PACING_PAD_SECONDS = 0.25
# The pad per restore interval is at most this share of the interval: a fixed 0.25 s on SP-API
# getOrder's 2 s interval cost 11 % of its hourly rate. The pad per wait stays 0.25 s: it shifts the
# first paced request, not the rate, and the per-interval pads add up to a margin within a few calls.
PAD_SHARE = 0.04
# "... Your quota will reset on Thu Oct 24 00:42:00 UTC 2013" (mws-api.md 4.1)
_RESET_IN_MESSAGE = re.compile(r"reset on (\w{3} \w{3} +\d{1,2} \d{1,2}:\d\d:\d\d) UTC (\d{4})")
_MONTHS = {m: n for n, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


@dataclass(frozen=True)
class BucketKey:
    """Whose quota a call spends: the endpoint, the seller, and a keyed hash of the credentials
    (`Credentials.fingerprint`), never the secrets themselves; the repr shows not even the hash."""

    endpoint: str
    seller_id: str
    credentials: str = field(repr=False)


@dataclass(frozen=True)
class Quota:
    max: float
    restore_per_second: float
    hourly: float | None = None

    @property
    def restore_seconds(self) -> float:
        """Time for one token to come back (Amazon's figure)."""
        return 1.0 / self.restore_per_second if self.restore_per_second > 0 else HOUR

    @property
    def pad(self) -> float:
        """The safety pad per restore interval: 0.25 s, or 4 % of the interval when that is less."""
        return min(PACING_PAD_SECONDS, PAD_SHARE * self.restore_seconds)

    @property
    def paced_restore_seconds(self) -> float:
        """Time the pacer lets pass for one token: Amazon's plus the safety pad."""
        return self.restore_seconds + self.pad

    @property
    def period(self) -> float:
        """The longest a reset time may block the group: an hour, or a full refill of the burst."""
        return HOUR if self.hourly else self.restore_seconds * self.max

    @property
    def paced_rate(self) -> float:
        return 1.0 / self.paced_restore_seconds

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
    # What Amazon last said of the hour (x-mws-quota-remaining / -resetsOn), and how many requests
    # this pacer has reserved since: another process on the same account spends the same hour.
    server_remaining: float | None = None
    server_resets: float | None = None
    reserved_since: int = 0

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.quota.max, self.tokens + (now - self.updated) * self.quota.paced_rate)
            self.updated = now

    def _hourly_slot(self, at: float) -> float:
        hourly = self.quota.hourly
        while self.sent and self.sent[0] <= at - HOUR:
            self.sent.popleft()
        if not hourly or len(self.sent) < hourly:
            return at
        # The oldest request still counted must leave the hour before another is allowed.
        return max(at, self.sent[-int(hourly)] + HOUR)

    def _server_slot(self, at: float) -> float:
        """Amazon's own count of the hour: when it says nothing is left, wait for its reset."""
        if self.server_resets is None or at >= self.server_resets:
            return at
        left = (self.server_remaining or 0.0) - self.reserved_since
        return at if left >= 1 - _EPSILON else self.server_resets

    def delay(self, now: float) -> float:
        """How long a request made now would wait, without reserving anything."""
        self.refill(now)
        if self.tokens >= 1 - _EPSILON:
            burst = 0.0
        else:
            burst = (1 - self.tokens) * self.quota.paced_restore_seconds + PACING_PAD_SECONDS
        at = max(now + burst, self.blocked_until)
        at = self._server_slot(at)
        return max(0.0, self._hourly_slot(at) - now)

    def reserve(self, now: float) -> float:
        """Take a slot; the seconds to wait before sending."""
        wait = self.delay(now)
        self.tokens -= 1
        self.sent.append(now + wait)
        if self.server_resets is not None and now + wait < self.server_resets:
            self.reserved_since += 1
        return wait

    def observe(self, remaining: float | None, resets: float | None, now: float) -> None:
        """Amazon's x-mws-quota-remaining / -resetsOn of an answer (this request already counted)."""
        if resets is not None:
            if resets <= now:
                return
            self.server_resets = min(resets, now + self.quota.period)
        elif self.server_resets is None or self.server_resets <= now:
            return  # a count without a reset time says nothing about when it ends
        if remaining is not None:
            self.server_remaining = remaining
            self.reserved_since = 0
            if remaining < 1 - _EPSILON:
                self.blocked_until = max(self.blocked_until, self.server_resets)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    # HAR shows x-mws-quota-resetson, the PHP client reads x-mws-quota-resetsOn: case-insensitive.
    name = name.lower()
    return next((v for k, v in headers.items() if k.lower() == name), None)


def _remaining(headers: Mapping[str, str]) -> float | None:
    """`x-mws-quota-remaining`: "29.0" (real) or "29" (the docs' example); None if absent or garbled."""
    raw = _header(headers, "x-mws-quota-remaining")
    try:
        return float(raw) if raw is not None and raw.strip() else None
    except ValueError:
        return None


def reset_time_in_message(message: str | None) -> float | None:
    """The reset time of a QuotaExceeded message ("... Your quota will reset on Thu Oct 24 00:42:00 UTC 2013")."""
    found = _RESET_IN_MESSAGE.search(message or "")
    if not found:
        return None
    # Parsed by hand: strptime's %a/%b follow the process locale.
    _weekday, month, day, clock = found.group(1).split()
    if month not in _MONTHS:
        return None
    hour, minute, second = (int(part) for part in clock.split(":"))
    try:
        return datetime(int(found.group(2)), _MONTHS[month], int(day), hour, minute, second,
                        tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None


def _reset_time(headers: Mapping[str, str]) -> float | None:
    """`x-mws-quota-resetsOn`: ISO-8601 (2020-06-25T13:12:00.000Z) or RFC 1123; None if absent."""
    raw = _header(headers, "x-mws-quota-resetsOn")
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
