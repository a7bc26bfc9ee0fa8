"""Replicas sharing one seller's quota through Redis, and Redis going away (issue 16): two services over
one sandbox spend one bucket, not two; an unreachable store is a retriable error (or, with
QUOTA_STORE_FALLBACK=memory, local pacing and one warning), never a 500; a restarted Redis is used again."""
from __future__ import annotations

import logging
from contextlib import AsyncExitStack

import httpx
import pytest
from orders_helpers import QUIET, CountStatus, data_bodies, errors

from app.clock import VirtualClock
from app.main import create_app
from app.pacing.buckets import Quota
from app.pacing.memory import MemoryStore
from app.pacing.redis import RedisStore
from app.pacing.store import QuotaStoreUnavailable
from app.sandbox import Sandbox
from app.settings import Settings

SPAPI = {"lwaClientId": "amzn1.application-oa2-client.sandboxdemo", "lwaClientSecret": "sandbox-client-secret",
         "refreshToken": "Atzr|sandbox-demo-refresh-token", "sellerId": "A1SANDBOXSELLER", "marketplaceId": "ATVPDKIKX0DER"}
CLOSED = "redis://127.0.0.1:9/0"  # the discard port: nothing answers there




async def _replicas(stack: AsyncExitStack, n: int, **settings):
    """n services (replicas) over one sandbox and one clock; the sandbox's 429s counted."""
    clock = VirtualClock()
    sandbox = Sandbox(clock=clock, order_every=QUIET)
    plain, counters = sandbox.transport, []

    def counted(base_path: str = "") -> httpx.AsyncBaseTransport:
        counters.append(CountStatus(plain(base_path)))
        return counters[-1]

    sandbox.transport = counted
    clients = []
    for _ in range(n):
        app = create_app(Settings(**settings), clock=clock, sandbox=sandbox,
                         transport=httpx.MockTransport(lambda r: httpx.Response(599)))
        await stack.enter_async_context(app.router.lifespan_context(app))
        clients.append(await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")))
    ids = [o["amazonOrderId"] for o in sandbox.state()["orders"] if o["marketplaceId"] == "ATVPDKIKX0DER"]
    return clients, clock, (lambda: sum(c.count for c in counters)), ids


async def _lookup(client, ids) -> dict:
    response = await client.post("/actions/getOrder/execute", json={"cfg": SPAPI, "msg": {"body": {"amazonOrderIds": ids}}})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("store", ["memory", "redis"])
async def test_given_two_replicas_when_both_look_up_orders_then_with_redis_they_share_one_bucket_and_meet_no_429(
        store, request):
    quota_store = request.getfixturevalue("redis_url") if store == "redis" else "memory"
    async with AsyncExitStack() as stack:
        (a, b), clock, throttled, ids = await _replicas(stack, 2, quota_store=quota_store)
        assert (await _lookup(a, ids[:30]))["outcome"] == "ok"      # replica A spends getOrder's burst of 30
        started = clock.time()
        result = await _lookup(b, ids[30:36])                         # then replica B asks for six more
        assert result["outcome"] == "ok", errors(result)
        assert len(data_bodies(result)[0]["orders"]) == 6
        if store == "redis":
            assert throttled() == 0                                   # B waited for the shared bucket
            assert clock.time() - started >= 6 * 2.0
        else:
            assert throttled() > 0                                    # B's own full bucket: Amazon said 429


async def test_given_redis_unreachable_and_no_fallback_when_reserving_then_quota_store_unavailable():
    store = RedisStore(CLOSED)
    with pytest.raises(QuotaStoreUnavailable) as caught:
        await store.reserve("b", Quota(3, 0.1))
    assert caught.value.retriable is True and "nothing was sent" in caught.value.message
    await store.aclose()


async def test_given_redis_unreachable_with_the_memory_fallback_then_local_pacing_and_one_warning(caplog):
    caplog.set_level(logging.WARNING, logger="app.pacing")
    store = RedisStore(CLOSED, fallback=MemoryStore(VirtualClock()))
    waits = [await store.reserve("b", Quota(3, 0.1)) for _ in range(4)]
    assert waits[:3] == [0.0] * 3 and waits[3] == pytest.approx(10.25 + 0.25)
    assert [r.getMessage()[:41] for r in caplog.records if "QUOTA_STORE unreachable" in r.getMessage()] == [
        "QUOTA_STORE unreachable (ConnectionError)"]
    await store.aclose()


async def test_given_redis_unreachable_when_a_step_runs_then_a_retriable_error_event_not_a_500(make_service):
    svc = await make_service(order_every=QUIET, quota_store=CLOSED)
    ids = [o["amazonOrderId"] for o in svc.sandbox.state()["orders"]][:1]
    response = await svc.post_action("getOrder", {"amazonOrderIds": ids}, cfg=SPAPI)
    assert response.status_code == 200
    result = response.json()
    assert result["outcome"] in ("error", "rebound")
    if result["outcome"] == "error":
        assert errors(result)[0]["code"] == "QuotaStoreUnavailable" and errors(result)[0]["retriable"] is True
    assert [c for c in svc.calls if "/orders/" in c.path] == []  # nothing reached Amazon unpaced


async def test_given_redis_stopped_mid_run_and_restarted_then_steps_fail_softly_and_pacing_resumes(
        make_service, redis_server):
    url, stop, start = redis_server
    svc = await make_service(order_every=QUIET, quota_store=url)
    ids = [o["amazonOrderId"] for o in svc.sandbox.state()["orders"]][:2]
    assert (await svc.action("getOrder", {"amazonOrderIds": ids[:1]}, cfg=SPAPI))["outcome"] == "ok"
    stop()
    try:
        during = await svc.post_action("getOrder", {"amazonOrderIds": ids[1:]}, cfg=SPAPI)
        assert during.status_code == 200 and during.json()["outcome"] in ("error", "rebound")
    finally:
        start()
    svc.clock.advance(10)  # the store's retry pause is real time: only the next call after it matters
    after = await svc.action("getOrder", {"amazonOrderIds": ids[1:]}, cfg=SPAPI)
    assert after["outcome"] == "ok", errors(after)


async def test_given_two_replicas_with_redis_then_one_lwa_token_request_serves_both(redis_url):
    from app.spapi.credentials import SpapiCredentials
    from app.spapi.lwa import TokenCache

    asked: list[str] = []

    def lwa(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(200, json={"access_token": f"Atza|token-{len(asked)}", "expires_in": 3600})

    credentials = SpapiCredentials.from_cfg(SPAPI)
    stores = [RedisStore(redis_url), RedisStore(redis_url)]
    caches = [TokenCache(VirtualClock(), shared=store) for store in stores]
    async with httpx.AsyncClient(transport=httpx.MockTransport(lwa)) as http:
        first = await caches[0].token(credentials, "https://api.amazon.com/auth/o2/token", http=http, budget=5)
        second = await caches[1].token(credentials, "https://api.amazon.com/auth/o2/token", http=http, budget=5)
        assert first == second == "Atza|token-1" and len(asked) == 1
        caches[1].invalidate(credentials)  # Amazon said it expired: the next one is asked of LWA
        third = await caches[1].token(credentials, "https://api.amazon.com/auth/o2/token", http=http, budget=5)
        assert third == "Atza|token-2" and len(asked) == 2
        fourth = await caches[0].token(credentials, "https://api.amazon.com/auth/o2/token", http=http, budget=5,
                                       fresh=True)
        assert fourth == "Atza|token-3"  # /verify-credentials always asks afresh
    for store in stores:
        await store.aclose()


async def test_given_redis_unreachable_then_the_token_cache_still_works_locally():
    from app.spapi.credentials import SpapiCredentials
    from app.spapi.lwa import TokenCache

    store = RedisStore(CLOSED)
    cache = TokenCache(VirtualClock(), shared=store)
    async with httpx.AsyncClient(transport=httpx.MockTransport(
            lambda r: httpx.Response(200, json={"access_token": "Atza|local", "expires_in": 3600}))) as http:
        for _ in range(2):
            assert await cache.token(SpapiCredentials.from_cfg(SPAPI), "https://api.amazon.com/auth/o2/token",
                                     http=http, budget=5) == "Atza|local"
    assert cache.requests == 1
    await store.aclose()
