"""LWA and the SP-API client as the steps meet them (sp-api.md §2-§3): the access token cached per app and
refresh token until 60 s before it expires, one token request in flight however many steps run, one
refresh after an expired token, LWA's own error in the event, the request's headers, and no secret
anywhere a user or a log can read."""
from __future__ import annotations

import asyncio
import logging

import pytest
from orders_helpers import QUIET, CountStatus, data_bodies, errors
from spapi_helpers import API, SPAPI, calls_to, token_calls

PARTICIPATIONS = f"{API}/sellers/v1/marketplaceParticipations"
SECRETS = (SPAPI["lwaClientSecret"], SPAPI["refreshToken"])


def _ids(svc, n=1):
    return [o["amazonOrderId"] for o in svc.sandbox.state()["orders"]][:n]


async def test_given_two_steps_within_the_tokens_life_then_one_token_request(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    for _ in range(2):
        assert (await svc.action("getOrder", {"amazonOrderIds": _ids(svc)}))["outcome"] == "ok"
    assert token_calls(svc) == 1


async def test_given_the_token_within_60_s_of_its_expiry_when_a_step_runs_then_a_new_token_first(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    svc.clock.advance(3600 - 61)
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    assert token_calls(svc) == 1
    svc.clock.advance(2)  # now 59 s before expiry
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    assert token_calls(svc) == 2


async def test_given_many_steps_at_once_with_no_token_then_one_token_request_in_flight(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    results = await asyncio.gather(*[svc.action("getOrder", {"amazonOrderIds": _ids(svc)}) for _ in range(8)])
    assert [r["outcome"] for r in results] == ["ok"] * 8
    assert token_calls(svc) == 1


async def test_given_another_refresh_token_then_its_own_token(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    other = {**svc.cfg, "refreshToken": "Atzr|another-grant"}
    result = await svc.action("getOrder", {"amazonOrderIds": _ids(svc)}, cfg=other)
    assert token_calls(svc) == 2
    assert result["outcome"] == "error" and errors(result)[0]["code"] == "invalid_grant"


async def test_given_an_expired_token_answer_then_one_refresh_and_the_call_again(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    svc.sandbox.faults.add("getOrder", "expired-token")
    result = await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    assert result["outcome"] == "ok", errors(result)
    assert token_calls(svc) == 2


async def test_given_expired_token_answers_twice_then_an_error_not_a_loop(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    svc.sandbox.faults.add("getOrder", "expired-token", 5)
    result = await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    assert result["outcome"] == "error"
    assert token_calls(svc) == 2 and len(calls_to(svc, f"{API}/orders")) == 2


async def test_given_a_wrong_client_secret_when_a_step_runs_then_lwas_code_and_description(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    cfg = {**svc.cfg, "lwaClientSecret": "not-the-secret"}
    result = await svc.action("getOrder", {"amazonOrderIds": _ids(svc)}, cfg=cfg)
    assert result["outcome"] == "error"
    error = errors(result)[0]
    assert error["code"] == "invalid_client" and error["message"] and error["retriable"] is False
    assert calls_to(svc, API) == []  # no SP-API call without a token


async def test_given_a_call_then_it_carries_the_token_and_a_user_agent_and_no_aws_signature(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    [call] = calls_to(svc, f"{API}/orders")
    assert call.headers["x-amz-access-token"].startswith("Atza|")
    assert call.headers["user-agent"] and "python-httpx" not in call.headers["user-agent"]
    assert "authorization" not in call.headers and "x-amz-date" not in call.headers


async def test_given_verify_credentials_then_a_fresh_token_and_one_participations_call(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    response = await svc.client.post("/verify-credentials", json={"cfg": svc.cfg})
    assert response.json() == {"verified": True}
    assert token_calls(svc) == 2  # a cached token proves nothing about the secret
    assert len(calls_to(svc, PARTICIPATIONS)) == 1


async def test_given_a_marketplace_the_seller_is_not_in_when_verified_then_false_naming_it(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    response = await svc.client.post("/verify-credentials", json={"cfg": {**svc.cfg, "marketplaceId": "A1VC38T7YXB528"}})
    assert response.json() == {"verified": False,
                               "reason": "The seller does not participate in marketplace A1VC38T7YXB528"}


async def test_given_a_wrong_refresh_token_when_verified_then_lwas_description(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    response = await svc.client.post("/verify-credentials", json={"cfg": {**svc.cfg, "refreshToken": "Atzr|wrong"}})
    body = response.json()
    assert body["verified"] is False and "refresh_token" in body["reason"]
    assert calls_to(svc, PARTICIPATIONS) == []


async def test_given_failures_and_successes_then_no_secret_or_token_in_responses_events_or_logs(make_spapi, caplog):
    caplog.set_level(logging.DEBUG)
    svc = await make_spapi(order_every=QUIET)
    texts = []
    ok = await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    texts.append(str(ok))
    svc.sandbox.faults.add("getOrder", "500", 5)
    texts.append(str(await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})))
    texts.append(str(await svc.action("getOrder", {"amazonOrderIds": _ids(svc)},
                                      cfg={**svc.cfg, "lwaClientSecret": "wrong-" + SPAPI["lwaClientSecret"]})))
    texts.append((await svc.client.post("/verify-credentials", json={"cfg": svc.cfg})).text)
    access_token = calls_to(svc, f"{API}/orders")[0].headers["x-amz-access-token"]
    logged = [r.getMessage() + " " + str(r.__dict__) for r in caplog.records]
    assert any("step executed" in line for line in logged)  # the service's log lines were seen
    everything = "\n".join(texts) + "\n".join(logged)
    for secret in (*SECRETS, access_token):
        assert secret not in everything
    assert data_bodies(ok)


async def test_given_one_seller_throttled_then_another_sellers_calls_are_not_held(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    ids = _ids(svc, 30)
    assert (await svc.action("getOrder", {"amazonOrderIds": ids}))["outcome"] == "ok"  # spends the burst
    other = {**svc.cfg, "refreshToken": "Atzr|other-seller", "sellerId": "A2OTHERSELLER"}
    started = svc.clock.time()
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)}, cfg=other)  # its own bucket: no wait
    assert svc.clock.time() - started < 1.0


@pytest.mark.parametrize("kind", ["500", "503", "drop", "malformed", "slow"])
async def test_given_a_passing_fault_when_a_lookup_runs_then_retried_and_answered(make_spapi, kind):
    svc = await make_spapi(order_every=QUIET)
    svc.sandbox.faults.add("getOrder", kind)
    result = await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    assert result["outcome"] == "ok", errors(result)
    assert len(calls_to(svc, f"{API}/orders")) == 2  # the fault, then the retry




async def test_given_an_hour_of_lookups_at_the_real_usage_plan_then_no_429_and_at_least_95_percent_of_it(make_spapi):
    counters: list[CountStatus] = []
    svc = await make_spapi(order_every=QUIET, step_timeout_ms=3_600_000,
                           wrap=lambda inner: counters.append(CountStatus(inner)) or counters[-1])
    ids = [f"111-{n:07d}-0000000" for n in range(2500)]  # unknown ids: each still one getOrder call
    cfg = {**svc.cfg, "emitBehavior": "emitIndividually"}
    started = svc.clock.time()
    response = await svc.client.post("/actions/getOrder/execute", json={"cfg": cfg, "msg": {"body": {"amazonOrderIds": ids}}})
    assert response.json()["outcome"] == "rebound"  # the hour ran out first
    sent = [c.at for c in calls_to(svc, f"{API}/orders") if c.at - started < 3600]
    assert sum(c.count for c in counters) == 0
    assert len(sent) >= 0.95 * (30 + 0.5 * 3600)  # burst 30, then 0.5 a second (the pad costs under 5 %)


async def test_given_secrets_then_not_in_the_metrics_either(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)})
    await svc.action("getOrder", {"amazonOrderIds": _ids(svc)}, cfg={**svc.cfg, "refreshToken": "Atzr|wrong-one"})
    metrics = (await svc.client.get("/metrics")).text
    token = calls_to(svc, f"{API}/orders")[0].headers["x-amz-access-token"]
    assert "spapi_calls" in metrics
    for secret in (*SECRETS, "Atzr|wrong-one", token):
        assert secret not in metrics
