"""The pacer: the buckets of one backend (MWS throttle groups, or SP-API operationIds with their usage
plans), built-in quotas overridden by MWS_QUOTAS, kept in the process's quota store.

Callers (both clients) use the async methods (`adelay`, `areserve`, `athrottled`, `aobserve`,
`alearn_rate`): they go to the store of `QUOTA_STORE`, memory or Redis, without blocking the event
loop. The sync methods work on this process's memory store alone (tests, and the memory mode's own
path); both paths use the same `Bucket` sums.

A bucket key is opaque (any hashable; the clients pass a `BucketKey`: endpoint, seller, credentials'
fingerprint). In Redis it becomes a name "<backend>|<endpoint>|<seller>|<fingerprint>|<group>".
"""
from __future__ import annotations

from typing import Any, Hashable, Mapping

from app.clock import Clock
from app.pacing.buckets import MAX_RATE, MIN_RATE, BucketKey, Quota, _remaining, _reset_time, reset_time_in_message
from app.pacing.memory import MAX_BUCKETS, MemoryStore
from app.pacing.store import QuotaStore
from app.settings import Settings


class Pacer:
    """Token buckets per (bucket key, group)."""

    def __init__(
        self,
        clock: Clock,
        settings: Settings | None = None,
        *,
        quotas: Mapping[str, Mapping[str, float]] | None = None,
        enabled: bool | None = None,
        max_buckets: int = MAX_BUCKETS,
        groups: Mapping[str, Mapping[str, float]] | None = None,
        store: QuotaStore | None = None,
        backend: str = "mws",
    ) -> None:
        """`groups`: the built-in quotas (default MWS's throttle groups; SP-API passes its usage
        plans); MWS_QUOTAS, then `quotas`, override them. `store`: the shared store (None: memory)."""
        self.clock, self.backend = clock, backend
        if groups is None:
            from app.model import load

            groups = {g: {k: float(v) for k, v in q.items()} for g, q in load("mws", "throttle")["groups"].items()}
        merged = dict(groups)
        merged.update(settings.mws_quotas if settings is not None else {})
        merged.update(quotas or {})
        self.quotas = {group: Quota.from_dict(q) for group, q in merged.items()}
        if enabled is None:
            enabled = settings.mws_pacing if settings is not None else True
        self.enabled = enabled
        self.memory = MemoryStore(clock, max_buckets)
        self.store: QuotaStore = store if store is not None else self.memory
        self.max_buckets = max_buckets

    @property
    def _buckets(self):  # the memory store's buckets (tests read how many there are)
        return self.memory._buckets

    def quota(self, group: str) -> Quota | None:
        return self.quotas.get(group)

    def restore_seconds(self, group: str) -> float:
        """The pacer's interval between two tokens of the group (Amazon's plus the pad)."""
        quota = self.quotas.get(group)
        return quota.paced_restore_seconds if quota else 0.0

    def _name(self, key: Hashable, group: str) -> Any:
        if self.store is self.memory:
            return (key, group)
        if isinstance(key, BucketKey):
            return f"{self.backend}|{key.endpoint}|{key.seller_id}|{key.credentials}|{group}"
        return f"{self.backend}|{key}|{group}"

    # -- sync: this process's memory -------------------------------------------------------------
    def delay(self, key: Hashable, group: str) -> float:
        """Seconds a request would wait now (0 when pacing is off or the group is unknown)."""
        quota = self.quotas.get(group)
        if not self.enabled or quota is None:
            return 0.0
        return self.memory.bucket((key, group), quota).delay(self.clock.time())

    def reserve(self, key: Hashable, group: str) -> float:
        """Count a request now; returns how long to wait before sending it (0 when pacing is off)."""
        quota = self.quotas.get(group)
        if quota is None:
            return 0.0
        wait = self.memory.bucket((key, group), quota).reserve(self.clock.time())
        return wait if self.enabled else 0.0

    def observe(self, key: Hashable, group: str, headers: Mapping[str, str] | None) -> None:
        """An authenticated answer of a group with an hourly quota: take Amazon's count of the hour."""
        quota = self.quotas.get(group)
        if quota is None or not quota.hourly or not headers:
            return
        self.memory.bucket((key, group), quota).observe(_remaining(headers), _reset_time(headers), self.clock.time())

    def throttled(self, key: Hashable, group: str, code: str | None = None,
                  headers: Mapping[str, str] | None = None, message: str | None = None) -> None:
        """Amazon answered 503/429: the bucket is empty (and, for QuotaExceeded, the period is used up)."""
        quota = self.quotas.get(group)
        if quota is not None:
            self.memory.empty(self.memory.bucket((key, group), quota), *_block(code, headers, message))

    def learn_rate(self, key: Hashable, group: str, rate: float) -> None:
        """What an authenticated answer says of the rate (SP-API's x-amzn-RateLimit-Limit, requests
        per second): this bucket restores at that rate from now on. Absurd values are ignored."""
        quota = self.quotas.get(group)
        if quota is not None and MIN_RATE <= rate <= MAX_RATE:
            self.memory.learn(self.memory.bucket((key, group), quota), rate)

    # -- async: the store of QUOTA_STORE ---------------------------------------------------------
    async def adelay(self, key: Hashable, group: str) -> float:
        quota = self.quotas.get(group)
        if not self.enabled or quota is None:
            return 0.0
        return await self.store.delay(self._name(key, group), quota)

    async def areserve(self, key: Hashable, group: str) -> float:
        quota = self.quotas.get(group)
        if quota is None:
            return 0.0
        wait = await self.store.reserve(self._name(key, group), quota)
        return wait if self.enabled else 0.0

    async def aobserve(self, key: Hashable, group: str, headers: Mapping[str, str] | None) -> None:
        quota = self.quotas.get(group)
        if quota is None or not quota.hourly or not headers:
            return
        await self.store.observe(self._name(key, group), quota, _remaining(headers), _reset_time(headers))

    async def athrottled(self, key: Hashable, group: str, code: str | None = None,
                         headers: Mapping[str, str] | None = None, message: str | None = None) -> None:
        quota = self.quotas.get(group)
        if quota is not None:
            await self.store.throttled(self._name(key, group), quota, *_block(code, headers, message))

    async def alearn_rate(self, key: Hashable, group: str, rate: float) -> None:
        quota = self.quotas.get(group)
        if quota is not None and MIN_RATE <= rate <= MAX_RATE:
            await self.store.learn_rate(self._name(key, group), quota, rate)


def _block(code: str | None, headers: Mapping[str, str] | None, message: str | None) -> tuple[bool, float | None]:
    """Whether a throttle answer blocks the group, and until when Amazon says (None: unknown)."""
    if code != "QuotaExceeded":
        return False, None
    reset = _reset_time(headers or {})
    return True, reset if reset is not None else reset_time_in_message(message)


def quota_store_for(services: Any) -> QuotaStore | None:
    """The process's shared store (None: memory, each pacer its own). QUOTA_STORE_FALLBACK=memory puts a
    memory store behind Redis."""
    settings = services.settings
    url = getattr(settings, "quota_store", "memory") or "memory"
    if url == "memory":
        return None

    def make() -> QuotaStore:
        from app.pacing.redis import RedisStore

        fallback = MemoryStore(services.clock) if getattr(settings, "quota_store_fallback", None) == "memory" else None
        return RedisStore(url, fallback=fallback)

    return services.singleton("quota.store", make)


def pacer_for(services: Any, backend: str = "mws", groups: Mapping[str, Mapping[str, float]] | None = None) -> Pacer:
    """The process's one pacer of `backend` (kept in the services): buckets only help if they outlive a step."""
    return services.singleton(f"{backend}.pacer", lambda: Pacer(services.clock, services.settings, groups=groups,
                                                                store=quota_store_for(services), backend=backend))


async def prepare_quota_store(services: Any) -> None:
    """At start-up: the replicas' shared fingerprint key, so a seller's buckets have one name in Redis
    from the first call (Redis down now: the store tries again on its first answer)."""
    store = quota_store_for(services)
    if store is not None:
        await store.ready()  # type: ignore[attr-defined]


async def close_quota_store(services: Any) -> None:
    store = services.shared.pop("quota.store", None) if hasattr(services, "shared") else None
    if store is not None:
        await store.aclose()
