"""The Redis store (`QUOTA_STORE=redis://host:6379/0`): every bucket of every replica in one Redis, so
N replicas spend one seller's quota once, not N times.

Each operation is one Lua script run by Redis (atomic: two replicas never take the same token) with
Redis's own clock (`TIME`), never a replica's. The sums are `app.pacing.buckets.Bucket`'s, written
again in Lua; `tests/pacing` runs one suite against both stores. A bucket is a hash (tokens, last
update, block, Amazon's count of the hour, a learned rate) and a sorted set of the hour's send times,
both expiring after two idle hours. Names carry the endpoint, seller and credentials' fingerprint,
never a secret; the fingerprint key itself is shared through Redis (`fingerprint_key`).

Redis unreachable: `QuotaStoreUnavailable` (retriable), or with `QUOTA_STORE_FALLBACK=memory` the
memory store paces this replica alone, with one warning in the log; Redis is tried again after
`RETRY_SECONDS`.
"""
from __future__ import annotations

import logging
import secrets
import time
from typing import Any, Awaitable, Callable

from app.pacing.buckets import HOUR, PACING_PAD_SECONDS, PAD_SHARE, Quota
from app.pacing.fingerprint import use_key
from app.pacing.memory import MemoryStore
from app.pacing.store import QuotaStoreUnavailable

log = logging.getLogger("app.pacing")

PREFIX = "amzn-quota:"
IDLE_SECONDS = 2 * int(HOUR)
RETRY_SECONDS = 5.0
TIMEOUT_SECONDS = 0.5  # a Redis that does not answer in this long is treated as down

# ARGV: op, max, restorePerSecond, hourly (0: none), pad cap, period, then per op: throttled: quotaExceeded
# (0/1), reset ("" = now); observe: remaining, resets ("" = none); learn: rate; last the idle expiry
# and the pad's share of the interval.
SCRIPT = """
local op = ARGV[1]
local max, base_rate, hourly = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local pad, period = tonumber(ARGV[5]), tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local h = redis.call('HMGET', KEYS[1], 'tokens', 'updated', 'blocked', 'srem', 'sres', 'rsince', 'rate')
local rate = tonumber(h[7]) or base_rate
local tokens, updated = tonumber(h[1]) or max, tonumber(h[2]) or now
local blocked, srem, sres, rsince = tonumber(h[3]) or 0, tonumber(h[4]), tonumber(h[5]), tonumber(h[6]) or 0
local restore = 3600
if rate > 0 then restore = 1 / rate end
local paced = restore + math.min(pad, tonumber(ARGV[10]) * restore)
local function refill()
  if now > updated then
    tokens = math.min(max, tokens + (now - updated) / paced)
    updated = now
  end
end
local result = 0
if op == 'delay' or op == 'reserve' then
  refill()
  local burst = 0
  if tokens < 1 - 1e-9 then burst = (1 - tokens) * paced + pad end
  local at = math.max(now + burst, blocked)
  if sres and at < sres then
    if (srem or 0) - rsince < 1 - 1e-9 then at = sres end
  end
  if hourly > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', at - 3600)
    local n = redis.call('ZCARD', KEYS[2])
    if n >= hourly then
      local oldest = redis.call('ZRANGE', KEYS[2], n - hourly, n - hourly, 'WITHSCORES')
      at = math.max(at, tonumber(oldest[2]) + 3600)
    end
  end
  result = math.max(0, at - now)
  if op == 'reserve' then
    tokens = tokens - 1
    if hourly > 0 then
      local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
      redis.call('ZADD', KEYS[2], now + result, tostring(seq))
    end
    if sres and now + result < sres then rsince = rsince + 1 end
  end
elseif op == 'throttled' then
  refill()
  tokens = math.min(tokens, 0)
  if ARGV[7] == '1' then
    local reset = tonumber(ARGV[8]) or now
    blocked = math.max(blocked, math.min(reset, now + period))
  end
elseif op == 'observe' then
  local remaining, resets = tonumber(ARGV[7]), tonumber(ARGV[8])
  local keep = true
  if resets then
    if resets <= now then keep = false else sres = math.min(resets, now + period) end
  elseif (not sres) or sres <= now then
    keep = false
  end
  if keep and remaining then
    srem, rsince = remaining, 0
    if remaining < 1 - 1e-9 then blocked = math.max(blocked, sres) end
  end
elseif op == 'learn' then
  refill()
  rate = tonumber(ARGV[7])
  redis.call('HSET', KEYS[1], 'rate', ARGV[7])
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'updated', updated, 'blocked', blocked, 'rsince', rsince)
if srem then redis.call('HSET', KEYS[1], 'srem', srem) end
if sres then redis.call('HSET', KEYS[1], 'sres', sres) end
redis.call('EXPIRE', KEYS[1], ARGV[9])
redis.call('EXPIRE', KEYS[2], ARGV[9])
return tostring(result)
"""


class RedisStore:
    def __init__(self, url: str, *, fallback: MemoryStore | None = None, client: Any = None) -> None:
        from redis import asyncio as aioredis  # only a deployment with QUOTA_STORE set needs redis-py

        self.url = url
        self.redis = client or aioredis.from_url(url, socket_timeout=TIMEOUT_SECONDS,
                                                 socket_connect_timeout=TIMEOUT_SECONDS)
        self.script = self.redis.register_script(SCRIPT)
        self.fallback = fallback
        self._down_since: float | None = None
        self._warned = False
        self._keyed = False

    async def ready(self) -> bool:
        """Load the shared fingerprint key once; False (nothing raised) while Redis does not answer."""
        if not self._keyed:
            try:
                use_key(await self.fingerprint_key())
            except Exception as exc:  # redis-py's errors: retried on the next operation
                log.warning("QUOTA_STORE did not answer at start (%s): will try again", type(exc).__name__)
                return False
            self._keyed = True
        return True

    async def _run(self, name: str, quota: Quota, op: str, *extra: Any) -> float:
        if self._down_since is not None and self.fallback is not None \
                and time.monotonic() - self._down_since < RETRY_SECONDS:
            return await self._fall_back(name, quota, op, *extra)
        given = (["" if e is None else e for e in extra] + ["", ""])[:2]
        args = [op, quota.max, quota.restore_per_second, quota.hourly or 0, PACING_PAD_SECONDS, quota.period,
                *given, IDLE_SECONDS, PAD_SHARE]
        try:
            if not self._keyed:
                use_key(await self.fingerprint_key())
                self._keyed = True
            answer = await self.script(keys=[PREFIX + name, PREFIX + name + ":sent"], args=args)
        except Exception as exc:  # redis-py's ConnectionError, TimeoutError, ResponseError, ...
            return await self._unavailable(exc, name, quota, op, *extra)
        self._down_since, self._warned = None, False
        return float(answer)

    async def _unavailable(self, exc: Exception, name: str, quota: Quota, op: str, *extra: Any) -> float:
        self._down_since = time.monotonic()
        if self.fallback is None:
            raise QuotaStoreUnavailable(
                f"the shared quota store (QUOTA_STORE) did not answer ({type(exc).__name__}); nothing was sent "
                "to Amazon: try again shortly") from None
        if not self._warned:
            self._warned = True
            log.warning("QUOTA_STORE unreachable (%s): pacing with this replica's own buckets until it answers",
                        type(exc).__name__)
        return await self._fall_back(name, quota, op, *extra)

    async def _fall_back(self, name: str, quota: Quota, op: str, *extra: Any) -> float:
        assert self.fallback is not None
        memory = self.fallback
        calls: dict[str, Callable[[], Awaitable[Any]]] = {
            "delay": lambda: memory.delay(name, quota),
            "reserve": lambda: memory.reserve(name, quota),
            "throttled": lambda: memory.throttled(name, quota, extra[0] == 1, extra[1]),
            "observe": lambda: memory.observe(name, quota, extra[0], extra[1]),
            "learn": lambda: memory.learn_rate(name, quota, extra[0]),
        }
        return float(await calls[op]() or 0.0)

    # -- the store interface ---------------------------------------------------------------------
    async def delay(self, name: str, quota: Quota) -> float:
        return await self._run(name, quota, "delay")

    async def reserve(self, name: str, quota: Quota) -> float:
        return await self._run(name, quota, "reserve")

    async def throttled(self, name: str, quota: Quota, quota_exceeded: bool, reset: float | None) -> None:
        await self._run(name, quota, "throttled", 1 if quota_exceeded else 0, reset)

    async def observe(self, name: str, quota: Quota, remaining: float | None, resets: float | None) -> None:
        await self._run(name, quota, "observe", remaining, resets)

    async def learn_rate(self, name: str, quota: Quota, rate: float) -> None:
        await self._run(name, quota, "learn", rate)

    # -- the LWA token cache shared by the replicas (a cache: any Redis failure is a miss) ----------
    async def get_token(self, name: str) -> tuple[str, float] | None:
        """A cached access token and its seconds to live, or None."""
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.get(PREFIX + "lwa:" + name)
                pipe.pttl(PREFIX + "lwa:" + name)
                value, ttl_ms = await pipe.execute()
        except Exception:  # redis-py's errors: the token is asked of LWA instead
            return None
        if not value or ttl_ms is None or ttl_ms <= 0:
            return None
        return (value.decode() if isinstance(value, bytes) else str(value)), ttl_ms / 1000.0

    async def put_token(self, name: str, value: str, ttl_seconds: float) -> None:
        if ttl_seconds <= 0:
            return
        try:
            await self.redis.set(PREFIX + "lwa:" + name, value, px=int(ttl_seconds * 1000))
        except Exception:  # a cache write that fails costs one more token request later
            pass

    async def fingerprint_key(self) -> bytes:
        """The replicas' shared fingerprint key: the first replica to ask sets it (SET NX)."""
        await self.redis.set(PREFIX + "fingerprint-key", secrets.token_hex(32), nx=True)
        value = await self.redis.get(PREFIX + "fingerprint-key")
        return bytes.fromhex(value.decode() if isinstance(value, bytes) else str(value))

    async def aclose(self) -> None:
        await self.redis.aclose()
