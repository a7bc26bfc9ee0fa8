"""Usage plans per operationId (429 QuotaExceeded, x-amzn-RateLimit-Limit) and faults by operationId."""
from __future__ import annotations

import json

import httpx
import pytest

from app.sandbox import Sandbox
from app.sandbox.spapi.usage import PLANS_FILE

from .helpers import FEEDS, ORDERS, PARTICIPATIONS, SpCaller, error


async def test_given_the_usage_plans_file_then_it_is_plain_data_with_the_models_defaults():
    plans = json.loads(PLANS_FILE.read_text())
    assert plans["searchOrders"] == {"max": 20, "restorePerSecond": 0.0056}
    assert plans["getOrder"] == {"max": 30, "restorePerSecond": 0.5}
    assert plans["createFeed"] == {"max": 15, "restorePerSecond": 0.0083}
    assert all(set(p) == {"max", "restorePerSecond"} for p in plans.values())


async def test_given_the_burst_is_spent_when_calling_again_then_429_quota_exceeded_until_it_restores(sp, clock):
    for _ in range(15):
        assert (await sp.get(PARTICIPATIONS)).status_code == 200
    response = await sp.get(PARTICIPATIONS)
    assert error(response) == (429, "QuotaExceeded")
    assert response.json()["errors"][0]["message"] == "You exceeded your quota for the requested resource."
    assert response.headers["x-amzn-ratelimit-limit"] == "0.016"
    assert response.headers["x-amzn-requestid"]
    clock.advance(1 / 0.016)
    assert (await sp.get(PARTICIPATIONS)).status_code == 200
    assert error(await sp.get(PARTICIPATIONS)) == (429, "QuotaExceeded")


async def test_given_one_operation_throttled_then_another_has_its_own_bucket(sp):
    for _ in range(15):
        await sp.get(PARTICIPATIONS)
    assert (await sp.get(f"{ORDERS}/111-0000000-0000000")).status_code == 404


async def test_given_a_time_scale_then_buckets_restore_faster_and_the_header_says_so(clock):
    sandbox = Sandbox(clock=clock, wall=clock.time, time_scale=10)
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url="http://sandbox.local") as web:
        sp = SpCaller(web, sandbox, clock)
        for _ in range(15):
            await sp.get(PARTICIPATIONS)
        response = await sp.get(PARTICIPATIONS)
        assert error(response) == (429, "QuotaExceeded")
        assert response.headers["x-amzn-ratelimit-limit"] == "0.16"
        clock.advance(1 / 0.16)
        assert (await sp.get(PARTICIPATIONS)).status_code == 200


@pytest.mark.parametrize("kind, status, code", [("429", 429, "QuotaExceeded"), ("500", 500, "InternalFailure"),
                                                ("503", 503, "ServiceUnavailable")])
async def test_given_a_fault_on_an_operation_id_then_its_next_call_answers_it_and_others_do_not(sp, kind, status, code):
    await sp.fault("getOrder", kind)
    assert error(await sp.get(f"{ORDERS}/111-0000000-0000000")) == (status, code)
    assert error(await sp.get(f"{ORDERS}/111-0000000-0000000")) == (404, "NotFound")


async def test_given_a_malformed_fault_then_the_answer_is_cut_short(sp):
    await sp.fault("getMarketplaceParticipations", "malformed")
    response = await sp.get(PARTICIPATIONS)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


async def test_given_drop_and_slow_faults_in_process_then_httpx_network_errors(sp):
    await sp.fault("getFeeds", "drop")
    with pytest.raises(httpx.RemoteProtocolError):
        await sp.get(f"{FEEDS}/feeds", {"feedTypes": "JSON_LISTINGS_FEED"})
    await sp.fault("getFeeds", "slow")
    with pytest.raises(httpx.ReadTimeout):
        await sp.get(f"{FEEDS}/feeds", {"feedTypes": "JSON_LISTINGS_FEED"})


async def test_given_an_expired_token_fault_then_403_expired_until_a_new_token_is_used(sp):
    await sp.fault("searchOrders", "expired-token")
    response = await sp.get(ORDERS, {"lastUpdatedAfter": "2026-09-01T00:00:00Z"})
    assert error(response) == (403, "Unauthorized")
    assert "expired" in response.json()["errors"][0]["details"]
    assert error(await sp.get(PARTICIPATIONS)) == (403, "Unauthorized")       # that token stays expired
    assert (await sp.get(PARTICIPATIONS, token=await sp.token(fresh=True))).status_code == 200


async def test_given_sp_api_fault_kinds_then_the_admin_takes_them_for_operation_ids_only(web):
    ok = await web.post("/sandbox/admin/faults", json={"operation": "createFeed", "kind": "expired-token"})
    assert ok.status_code == 200
    assert {"operation": "createFeed", "kind": "expired-token", "count": 1} in ok.json()["faults"]
    for operation, kind in (("ListOrders", "429"), ("searchOrders", "teapot"), ("SearchOrders", "500")):
        response = await web.post("/sandbox/admin/faults", json={"operation": operation, "kind": kind})
        assert response.status_code == 422, (operation, kind)
