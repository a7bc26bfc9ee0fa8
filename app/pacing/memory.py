"""The memory store (`QUOTA_STORE=memory`, the default): the buckets in this process, bounded in
number (least recently used dropped first, so endless new keys cannot fill memory). Its operations
are plain method calls: atomic on one event loop."""
from __future__ import annotations

from collections import OrderedDict
from typing import Hashable

from app.clock import Clock
from app.pacing.buckets import Bucket, Quota

MAX_BUCKETS = 10_000


class MemoryStore:
    def __init__(self, clock: Clock, max_buckets: int = MAX_BUCKETS) -> None:
        self.clock, self.max_buckets = clock, max_buckets
        self._buckets: OrderedDict[Hashable, Bucket] = OrderedDict()

    def bucket(self, name: Hashable, quota: Quota) -> Bucket:
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = self._buckets[name] = Bucket(quota, quota.max, self.clock.time())
            while len(self._buckets) > self.max_buckets:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(name)
        return bucket

    def __len__(self) -> int:
        return len(self._buckets)

    # -- the store interface (app.pacing.store.QuotaStore) -----------------------------------------
    async def delay(self, name: Hashable, quota: Quota) -> float:
        return self.bucket(name, quota).delay(self.clock.time())

    async def reserve(self, name: Hashable, quota: Quota) -> float:
        return self.bucket(name, quota).reserve(self.clock.time())

    async def throttled(self, name: Hashable, quota: Quota, quota_exceeded: bool, reset: float | None) -> None:
        self.empty(self.bucket(name, quota), quota_exceeded, reset)

    async def observe(self, name: Hashable, quota: Quota, remaining: float | None, resets: float | None) -> None:
        self.bucket(name, quota).observe(remaining, resets, self.clock.time())

    async def learn_rate(self, name: Hashable, quota: Quota, rate: float) -> None:
        self.learn(self.bucket(name, quota), rate)

    # -- shared by the sync and async paths ------------------------------------------------------
    def empty(self, bucket: Bucket, quota_exceeded: bool, reset: float | None) -> None:
        now = self.clock.time()
        bucket.refill(now)
        bucket.tokens = min(bucket.tokens, 0.0)
        if quota_exceeded:
            until = now if reset is None else min(reset, now + bucket.quota.period)
            bucket.blocked_until = max(bucket.blocked_until, until)

    def learn(self, bucket: Bucket, rate: float) -> None:
        if abs(bucket.quota.restore_per_second - rate) > 1e-12:
            bucket.refill(self.clock.time())
            bucket.quota = Quota(bucket.quota.max, rate, bucket.quota.hourly)
