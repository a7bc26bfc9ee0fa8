"""The quota store's one interface, on both implementations (QUOTA_STORE=memory and Redis): the same
bucket sums, atomic reservations. Redis runs on its own clock, so its waits are compared within a
small tolerance (the milliseconds a test takes), the memory store's exactly."""
from __future__ import annotations

import asyncio

import pytest

from app.clock import VirtualClock
from app.pacing.buckets import HOUR, Quota
from app.pacing.buckets import PACING_PAD_SECONDS as PAD
from app.pacing.memory import MemoryStore
from app.pacing.redis import RedisStore

SLOW = Quota(3, 0.1)           # a token every 10 s, burst 3: its pad per interval is the full 0.25 s
INTERVAL = 10 + 0.25


@pytest.fixture(params=["memory", "redis"])
async def stores(request):
    """make() -> a store; every store made in one test shares the same buckets (replicas)."""
    if request.param == "memory":
        memory = MemoryStore(VirtualClock())
        yield (lambda: memory), 1e-6
        return
    url = request.getfixturevalue("redis_url")
    made: list[RedisStore] = []

    def make() -> RedisStore:
        made.append(RedisStore(url))
        return made[-1]

    yield make, 0.2
    for store in made:
        await store.aclose()


async def test_given_a_full_bucket_then_the_burst_at_once_and_the_next_one_interval_and_the_pad_later(stores):
    make, tol = stores
    store = make()
    assert [await store.reserve("b", SLOW) for _ in range(3)] == [pytest.approx(0, abs=tol)] * 3
    assert await store.reserve("b", SLOW) == pytest.approx(INTERVAL + PAD, abs=tol)
    assert await store.reserve("b", SLOW) == pytest.approx(2 * INTERVAL + PAD, abs=tol)  # queued behind


async def test_given_delay_then_nothing_is_reserved(stores):
    make, tol = stores
    store = make()
    for _ in range(3):
        await store.reserve("b", SLOW)
    first = await store.delay("b", SLOW)
    assert await store.delay("b", SLOW) == pytest.approx(first, abs=tol)
    assert first == pytest.approx(INTERVAL + PAD, abs=tol)


async def test_given_two_buckets_then_they_are_separate(stores):
    make, tol = stores
    store = make()
    for _ in range(3):
        await store.reserve("seller-1", SLOW)
    assert await store.reserve("seller-2", SLOW) == pytest.approx(0, abs=tol)


async def test_given_a_throttle_answer_then_the_bucket_is_empty(stores):
    make, tol = stores
    store = make()
    await store.reserve("b", SLOW)
    await store.throttled("b", SLOW, False, None)
    assert await store.delay("b", SLOW) == pytest.approx(INTERVAL + PAD, abs=tol)


async def test_given_quota_exceeded_with_a_far_reset_then_blocked_no_longer_than_the_quotas_period(stores):
    make, tol = stores
    store = make()
    far = 4_070_908_800.0  # 2099
    await store.throttled("b", SLOW, True, far)
    assert await store.delay("b", SLOW) == pytest.approx(SLOW.period, abs=tol)  # a full refill: 30 s


async def test_given_amazons_count_of_the_hour_says_nothing_left_then_wait_for_its_reset(stores):
    make, tol = stores
    store = make()
    hourly = Quota(3, 0.1, hourly=100)
    now = await _now(store)
    await store.observe("b", hourly, 0.0, now + 100)
    assert await store.delay("b", hourly) == pytest.approx(100, abs=tol)


async def test_given_a_learned_rate_then_the_bucket_restores_at_it(stores):
    make, tol = stores
    store = make()
    for _ in range(3):
        await store.reserve("b", SLOW)
    await store.learn_rate("b", SLOW, 1.0)
    assert await store.reserve("b", SLOW) == pytest.approx(1 + 0.04 + PAD, abs=tol)


async def test_given_an_hourly_quota_then_no_more_than_it_within_the_hour(stores):
    make, tol = stores
    store = make()
    fast_but_hourly = Quota(5, 100.0, hourly=5)
    waits = [await store.reserve("b", fast_but_hourly) for _ in range(5)]
    assert max(waits) < 0.5
    assert await store.reserve("b", fast_but_hourly) == pytest.approx(HOUR, abs=1.0)


async def test_given_many_concurrent_reservations_from_two_replicas_then_no_token_is_taken_twice(stores):
    make, tol = stores
    replicas = [make(), make()]
    waits = await asyncio.gather(*[replicas[n % 2].reserve("shared", SLOW) for n in range(12)])
    ordered = sorted(waits)
    assert ordered[:3] == [pytest.approx(0, abs=tol)] * 3           # the burst, once
    gaps = [b - a for a, b in zip(ordered[3:], ordered[4:])]
    assert gaps == [pytest.approx(INTERVAL, abs=tol)] * 8          # then one slot each, never shared


async def _now(store) -> float:
    if isinstance(store, MemoryStore):
        return store.clock.time()
    seconds, micros = await store.redis.time()
    return seconds + micros / 1e6
