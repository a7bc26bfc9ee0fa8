"""Short-lived records the service keeps between executions, with an expiry: which feed a platform
message already submitted (FEED_DEDUP_WINDOW). One small interface; `MemoryStore` keeps them in this
process. A store shared by replicas (QUOTA_STORE) implements the same four calls.

Keys are hashes made by the caller: no secret and no seller data is ever a key in clear.
"""
from __future__ import annotations

from typing import Any, Protocol

from app.clock import Clock


class Store(Protocol):
    async def claim(self, key: str, value: str, ttl: float) -> str | None:
        """Set `key` to `value` unless it holds a live value; None when this call set it, else
        the value it holds."""

    async def put(self, key: str, value: str, ttl: float) -> None: ...

    async def get(self, key: str) -> str | None: ...

    async def delete(self, key: str) -> None: ...


class MemoryStore:
    """The store of one process, expiring by the injected clock."""

    def __init__(self, clock: Clock, *, max_entries: int = 100_000) -> None:
        self.clock = clock
        self.max_entries = max_entries
        self._items: dict[str, tuple[str, float]] = {}

    def _live(self, key: str) -> str | None:
        item = self._items.get(key)
        if item is None:
            return None
        if item[1] <= self.clock.time():
            del self._items[key]
            return None
        return item[0]

    def _sweep(self) -> None:
        if len(self._items) < self.max_entries:
            return
        now = self.clock.time()
        self._items = {k: v for k, v in self._items.items() if v[1] > now}
        while len(self._items) >= self.max_entries:  # still full: the oldest entries go first
            self._items.pop(next(iter(self._items)))

    async def claim(self, key: str, value: str, ttl: float) -> str | None:
        held = self._live(key)
        if held is not None:
            return held
        await self.put(key, value, ttl)
        return None

    async def put(self, key: str, value: str, ttl: float) -> None:
        self._sweep()
        self._items[key] = (value, self.clock.time() + ttl)

    async def get(self, key: str) -> str | None:
        return self._live(key)

    async def delete(self, key: str) -> None:
        self._items.pop(key, None)


def store_for(services: Any) -> Store:
    """The process's one store (kept in the services, like the pacer)."""
    return services.singleton("store", lambda: MemoryStore(services.clock))
