"""getOrder and listOrderItems on SP-API (sp-api.md §4): one getOrder per id, paced from the usage plan,
404 as notFound, includedData, Fetch All refused up front beyond what STEP_TIMEOUT allows, Emit
Individually resumable by nextIndex; an order's items from getOrder."""
from __future__ import annotations

from collections import Counter

from orders_helpers import QUIET, data_bodies, errors
from spapi_helpers import API, calls_to, spapi_out_validator

GET_ORDER = f"{API}/orders/2026-01-01/orders/"


def _known_ids(svc, n: int) -> list[str]:
    return [o["amazonOrderId"] for o in svc.sandbox.state()["orders"]
            if o["marketplaceId"] == "ATVPDKIKX0DER"][:n]


def _lookups(svc) -> list[str]:
    return [c.path.rsplit("/", 1)[1] for c in calls_to(svc, GET_ORDER, "GET")]


async def test_given_known_and_unknown_ids_when_looked_up_then_v2026_orders_in_order_and_not_found(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    ids = _known_ids(svc, 3)
    result = await svc.action("getOrder", {"amazonOrderIds": [ids[0], "999-0000000-0000000", ids[1], ids[2]]})
    assert result["outcome"] == "ok", errors(result)
    [body] = data_bodies(result)
    assert [o["orderId"] for o in body["orders"]] == [ids[0], ids[1], ids[2]]
    assert body["notFound"] == ["999-0000000-0000000"]
    assert _lookups(svc) == [ids[0], "999-0000000-0000000", ids[1], ids[2]]  # one id a call
    (await spapi_out_validator(svc, "actions", "getOrder")).validate(body)


async def test_given_included_data_when_looked_up_then_each_call_asks_for_it(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    ids = _known_ids(svc, 2)
    cfg = {**svc.cfg, "includedData": ["BUYER", "RECIPIENT"]}
    result = await svc.action("getOrder", {"amazonOrderIds": ids}, cfg=cfg)
    assert result["outcome"] == "ok", errors(result)
    for call in calls_to(svc, GET_ORDER, "GET"):
        assert set(call.params["includedData"].split(",")) == {"BUYER", "RECIPIENT"}


async def test_given_more_ids_than_the_burst_when_looked_up_then_paced_with_no_429(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    ids = _known_ids(svc, 40)  # burst 30, then 0.5 a second
    started = svc.clock.time()
    result = await svc.action("getOrder", {"amazonOrderIds": ids})
    assert result["outcome"] == "ok", errors(result)
    assert len(data_bodies(result)[0]["orders"]) == 40
    assert len(_lookups(svc)) == 40  # no call answered 429 and repeated
    assert svc.clock.time() - started >= 10 / 0.5 * 0.9


async def test_given_more_ids_than_fetch_all_can_look_up_in_step_timeout_then_422_naming_the_limit(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    ids = [f"111-{n:07d}-0000000" for n in range(2000)]
    response = await svc.post_action("getOrder", {"amazonOrderIds": ids})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["path"] == "msg.body.amazonOrderIds" and "at most" in problem["message"]
    assert svc.calls == []


async def test_given_emit_individually_and_a_rebound_when_called_again_then_it_resumes_without_asking_twice(make_spapi):
    svc = await make_spapi(order_every=QUIET, step_timeout_ms=40_000)
    ids = _known_ids(svc, 60) + ["999-0000000-0000000"]
    cfg = {**svc.cfg, "emitBehavior": "emitIndividually"}
    body = {"amazonOrderIds": ids}
    first = await svc.post_action("getOrder", body, cfg=cfg)
    result = first.json()
    assert result["outcome"] == "rebound"
    snapshot, seen = result["snapshot"], [b["orderId"] for b in data_bodies(result) if "orderId" in b]
    assert snapshot["nextIndex"] == len(_lookups(svc))
    for _ in range(10):
        response = await svc.client.post("/actions/getOrder/execute",
                                         json={"cfg": cfg, "msg": {"body": body}, "snapshot": snapshot})
        result = response.json()
        seen += [b["orderId"] for b in data_bodies(result) if "orderId" in b]
        snapshot = result["snapshot"]
        if result["outcome"] == "ok":
            break
    assert result["outcome"] == "ok"
    assert data_bodies(result)[-1] == {"notFound": ["999-0000000-0000000"]}
    assert seen == ids[:-1]
    assert [i for i, n in Counter(_lookups(svc)).items() if n > 1] == []  # no id fetched twice


async def test_given_a_429_in_sample_mode_when_looked_up_then_error_at_once(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    svc.sandbox.faults.add("getOrder", "429")
    result = await svc.action("getOrder", {"amazonOrderIds": _known_ids(svc, 1)}, mode="sample")
    assert result["outcome"] == "error" and errors(result)[0]["code"] == "QuotaExceeded"
    assert len(_lookups(svc)) == 1


async def test_given_an_order_when_its_items_are_listed_then_the_items_of_get_order(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    [order_id] = _known_ids(svc, 1)
    result = await svc.action("listOrderItems", {"amazonOrderId": order_id})
    assert result["outcome"] == "ok", errors(result)
    [body] = data_bodies(result)
    assert set(body) == {"amazonOrderId", "orderItems"} and body["amazonOrderId"] == order_id
    truth = next(o for o in svc.sandbox.state()["orders"] if o["amazonOrderId"] == order_id)
    assert len(body["orderItems"]) == truth["items"]
    assert all("orderItemId" in item for item in body["orderItems"])
    assert _lookups(svc) == [order_id]
    (await spapi_out_validator(svc, "actions", "listOrderItems")).validate(body)


async def test_given_an_unknown_order_when_its_items_are_listed_then_amazons_not_found_error(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    result = await svc.action("listOrderItems", {"amazonOrderId": "999-0000000-0000000"})
    assert result["outcome"] == "error"
    assert errors(result)[0]["code"] == "NotFound"
