"""/metrics: what an operator sees of MWS calls, throttling, pacing and step executions."""
from __future__ import annotations

import time

from app.clock import VirtualClock
from app.sandbox import DEMO, Sandbox
from app.settings import PROJECT_ROOT, Settings


async def test_given_step_executions_when_metrics_are_read_then_calls_throttles_and_steps_are_counted(make_client):
    clock = VirtualClock(time.time())
    sandbox = Sandbox(clock=clock, wall=clock.time)
    client = await make_client(Settings(), clock=clock, sandbox=sandbox, component_path=PROJECT_ROOT / "component.json")
    order_id = (await client.post("/triggers/getNewAndUpdatedOrders/execute",
                                  json={"cfg": dict(DEMO, maxResultsPerPage=1), "mode": "sample"})
                ).json()["events"][0]["body"]["amazonOrderId"]
    sandbox.faults.add("GetOrder", "503", 1)
    await client.post("/actions/getOrder/execute", json={"cfg": DEMO, "msg": {"body": {"amazonOrderIds": [order_id]}}})

    text = (await client.get("/metrics")).text

    assert 'mws_calls_total{operation="GetOrder",outcome="ok"}' in text
    assert 'mws_throttled_total{code="RequestThrottled",operation="GetOrder"}' in text
    assert 'step_executions_total{mode="run",outcome="ok",step="getOrder"}' in text
    assert 'step_executions_total{mode="sample",outcome="ok",step="getNewAndUpdatedOrders"}' in text
    assert "mws_pacing_wait_seconds_total" in text
    assert DEMO["secretAccessKey"] not in text


async def test_given_a_token_when_metrics_are_read_without_it_then_401(make_client):
    client = await make_client(Settings(step_api_token="t"))
    assert (await client.get("/metrics")).status_code == 401
    assert (await client.get("/metrics", headers={"Authorization": "Bearer t"})).status_code == 200


async def test_given_a_feed_action_when_metrics_are_read_then_its_status_checks_are_counted(make_client):
    clock = VirtualClock(time.time())
    sandbox = Sandbox(clock=clock)
    client = await make_client(Settings(mws_xsd_dir=None), clock=clock, sandbox=sandbox,
                               component_path=PROJECT_ROOT / "component.json")
    sku = sandbox.state()["catalog"][0]["sku"]
    result = (await client.post("/actions/updateItem/execute",
                                json={"cfg": DEMO, "msg": {"body": {"messages": [{"SKU": sku, "Quantity": 3}]}}})).json()
    assert result["outcome"] == "ok", result

    text = (await client.get("/metrics")).text

    assert 'feed_status_checks_total{status="_DONE_"} ' in text
    assert 'mws_calls_total{operation="SubmitFeed",outcome="ok"}' in text
