"""Get Order: any number of ids, 50 a call, answered in the order asked, Amazon's errors passed on."""
from __future__ import annotations

import random

import jsonschema

from app.sandbox import DEMO
from orders_helpers import QUIET, data_bodies, errors

KEY = "getOrder"


def _known_ids(svc, count: int) -> list[str]:
    return sorted(svc.orders_truth())[:count]


async def test_given_120_ids_when_fetched_then_three_calls_of_at_most_50_and_orders_in_the_order_asked(make_service):
    svc = await make_service(order_every=QUIET)
    known = _known_ids(svc, 100)
    unknown = [f"999-{n:07d}-{n:07d}" for n in range(20)]
    asked = known + unknown
    random.Random(7).shuffle(asked)
    result = await svc.action(KEY, {"amazonOrderIds": asked})
    assert result["outcome"] == "ok", errors(result)
    calls = [c for c in svc.calls if c.action == "GetOrder"]
    sizes = [len([k for k in c.params if k.startswith("AmazonOrderId.Id.")]) for c in calls]
    assert sizes == [50, 50, 20]
    sent = [c.params[f"AmazonOrderId.Id.{n}"] for c, size in zip(calls, sizes) for n in range(1, size + 1)]
    assert sent == asked
    (body,) = data_bodies(result)
    assert set(body) == {"orders", "notFound"}
    assert [o["amazonOrderId"] for o in body["orders"]] == [i for i in asked if i in set(known)]
    assert body["notFound"] == [i for i in asked if i in set(unknown)]
    validator = await svc.out_validator("actions", KEY)
    assert [e.message[:200] for e in validator.iter_errors(body)] == []


async def test_given_more_ids_than_the_burst_allows_when_fetched_then_calls_are_paced_by_the_restore_rate(make_service):
    svc = await make_service(order_every=QUIET)
    asked = _known_ids(svc, 200) + [f"999-{n:07d}-{n:07d}" for n in range(200)]  # 8 calls; GetOrder allows 6, then 1/min
    result = await svc.action(KEY, {"amazonOrderIds": asked})
    assert result["outcome"] == "ok", errors(result)
    calls = [c for c in svc.calls if c.action == "GetOrder"]
    assert len(calls) == 8
    assert all(b.at - a.at >= 59.9 for a, b in zip(calls[5:], calls[6:]))
    assert len(data_bodies(result)[0]["orders"]) == 200


async def test_given_a_bad_id_when_executed_then_422_names_it_and_no_call_is_made(make_service):
    svc = await make_service(order_every=QUIET)
    ids = _known_ids(svc, 3)
    response = await svc.post_action(KEY, {"amazonOrderIds": ids[:2] + ["1234567"] + ids[2:]})
    assert response.status_code == 422
    assert [d["path"] for d in response.json()["detail"]] == ["msg.body.amazonOrderIds[2]"]
    assert "1234567" not in response.text
    response = await svc.post_action(KEY, {})
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "msg.body.amazonOrderIds"
    assert svc.calls == []


async def test_given_a_wrong_secret_when_executed_then_the_error_is_amazons_own(make_service):
    svc = await make_service(order_every=QUIET)
    result = await svc.action(KEY, {"amazonOrderIds": _known_ids(svc, 1)}, cfg=dict(DEMO, secretAccessKey="wrong"))
    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "SignatureDoesNotMatch" and error["type"] == "Sender"
    assert error["message"] and error["requestId"] and error["retriable"] is False
    assert "wrong" not in str(result)


async def test_given_a_server_fault_in_sample_mode_when_executed_then_error_with_amazons_code_and_request_id(make_service):
    svc = await make_service(order_every=QUIET)
    svc.sandbox.faults.add("GetOrder", "500", 1)
    result = await svc.action(KEY, {"amazonOrderIds": _known_ids(svc, 1)}, mode="sample")
    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "InternalError" and error["requestId"] and error["retriable"] is True
    assert len(svc.calls) == 1


async def test_given_run_mode_when_amazon_throttles_then_it_is_waited_out_and_answered(make_service):
    svc = await make_service(order_every=QUIET)
    svc.sandbox.faults.add("GetOrder", "503", 1)
    result = await svc.action(KEY, {"amazonOrderIds": _known_ids(svc, 2)})
    assert result["outcome"] == "ok", errors(result)
    assert len(data_bodies(result)[0]["orders"]) == 2
    assert svc.calls[1].at - svc.calls[0].at >= 30


async def test_given_sample_mode_when_amazon_throttles_then_error_request_throttled_at_once(make_service):
    svc = await make_service(order_every=QUIET)
    svc.sandbox.faults.add("GetOrder", "503", 1)
    result = await svc.action(KEY, {"amazonOrderIds": _known_ids(svc, 1)}, mode="sample")
    assert result["outcome"] == "error" and errors(result)[0]["code"] == "RequestThrottled"
    assert len(svc.calls) == 1 and svc.clock.slept == 0


async def test_given_more_ids_than_one_execution_can_fetch_when_fetch_all_then_422_naming_the_limit_and_no_call(
        make_service):
    svc = await make_service(order_every=QUIET, step_timeout_ms=90_000)
    asked = _known_ids(svc, 200) + [f"999-{n:07d}-{n:07d}" for n in range(200)]  # 8 calls: 6, then 1/min
    response = await svc.post_action(KEY, {"amazonOrderIds": asked})
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["path"] == "msg.body.amazonOrderIds" and "at most 350 ids" in problem["message"]
    assert svc.calls == []


async def test_given_emit_individually_and_more_ids_than_one_execution_when_called_again_then_each_id_once(
        make_service):
    svc = await make_service(order_every=QUIET, step_timeout_ms=90_000)
    known = _known_ids(svc, 230)
    asked = known + [f"999-{n:07d}-{n:07d}" for n in range(170)]  # 8 calls: 6, then 1/min
    random.Random(3).shuffle(asked)
    cfg = {**svc.cfg, "emitBehavior": "emitIndividually"}
    emitted, snapshot, outcomes = [], {}, []
    for _ in range(5):
        response = await svc.client.post(f"/actions/{KEY}/execute", json={
            "cfg": cfg, "msg": {"body": {"amazonOrderIds": asked}}, "snapshot": snapshot})
        result = response.json()
        outcomes.append(result["outcome"])
        emitted += data_bodies(result)
        snapshot = result["snapshot"]
        if result["outcome"] == "ok":
            break
        svc.clock.advance(120)
    assert outcomes[0] == "rebound" and outcomes[-1] == "ok"
    assert snapshot == {}
    *orders, last = emitted
    assert [o["amazonOrderId"] for o in orders] == [i for i in asked if i in set(known)]
    assert last == {"notFound": [i for i in asked if i not in set(known)]}
    sent = [v for c in svc.calls if c.action == "GetOrder" for k, v in c.params.items() if k.startswith("AmazonOrderId")]
    assert sorted(sent) == sorted(asked)  # every id asked of Amazon exactly once, across the rebounds
    validator = jsonschema.Draft202012Validator((await svc.client.post(
        f"/actions/{KEY}/metadata", json={"cfg": cfg})).json()["out"])
    assert all(not list(validator.iter_errors(body)) for body in emitted)


async def test_given_a_snapshot_of_another_list_when_emitting_individually_then_it_starts_from_the_first_id(
        make_service):
    svc = await make_service(order_every=QUIET)
    asked = _known_ids(svc, 3)
    cfg = {**svc.cfg, "emitBehavior": "emitIndividually"}
    response = await svc.client.post(f"/actions/{KEY}/execute", json={
        "cfg": cfg, "msg": {"body": {"amazonOrderIds": asked}}, "snapshot": {"nextIndex": 2, "listMd5": "other"}})
    result = response.json()
    assert [b.get("amazonOrderId") for b in data_bodies(result)] == [*asked, None]


async def test_given_a_bad_next_index_in_the_snapshot_when_executed_then_422_at_it(make_service):
    svc = await make_service(order_every=QUIET)
    response = await svc.client.post(f"/actions/{KEY}/execute", json={
        "cfg": {**svc.cfg, "emitBehavior": "emitIndividually"}, "msg": {"body": {"amazonOrderIds": _known_ids(svc, 1)}},
        "snapshot": {"nextIndex": -1}})
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "snapshot.nextIndex"
