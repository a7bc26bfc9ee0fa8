"""The hardening end to end: steps run through the step API (in-process) while their MWS calls go over
the real network transport (a pool per host) to hostile servers of the test's own on 127.0.0.1.

A repeating NextToken ends listOrderItems with one MalformedResponse error after two requests; a
trickled body ends getOrder at STEP_TIMEOUT with a rebound; an endpoint outside ENDPOINT_ALLOWLIST
receives nothing. No canary credential appears in any answer or log line.
"""
from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager

import httpx
import pytest

from app.main import create_app
from app.settings import PROJECT_ROOT, Settings
from tests.mws.builders import list_order_items
from tests.mws.hostile import CANARY_CFG, Hostile, answer, assert_no_canary, head

ALLOW = ("http://127.0.0.1:*",)


@asynccontextmanager
async def service(settings: Settings):
    app = create_app(settings, component_path=PROJECT_ROOT / "component.json")  # the network, not a mock
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://service", timeout=30) as client:
        yield client


@pytest.fixture
async def hostile():
    servers: list[Hostile] = []

    async def start(handler) -> Hostile:
        servers.append(await Hostile(handler).start())
        return servers[-1]

    yield start
    for server in servers:
        await server.stop()


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "app"):
        caplog.set_level(logging.DEBUG, logger=name)
    return lambda: "\n".join(r.getMessage() for r in caplog.records)


async def test_given_a_server_repeating_a_next_token_when_list_order_items_runs_then_one_malformed_response_after_two_requests(
        hostile, logs):
    async def looping(request, writer):
        answer(writer, 200, list_order_items(items=2).replace(
            "<AmazonOrderId>", "<NextToken>SAME</NextToken><AmazonOrderId>").replace(
            "ListOrderItemsResult", f"{request.params['Action']}Result").replace(
            "ListOrderItemsResponse", f"{request.params['Action']}Response"))

    server = await hostile(looping)
    async with service(Settings(endpoint_allowlist=ALLOW, throttle_retry_delay_ms=0)) as client:
        response = await client.post("/actions/listOrderItems/execute", json={
            "cfg": {**CANARY_CFG, "endpointUrl": server.url},
            "msg": {"body": {"amazonOrderId": "902-3159896-1390916"}, "headers": {}}})
    result = response.json()
    assert result["outcome"] == "error" and [e["type"] for e in result["events"]] == ["error"]
    assert result["events"][0]["error"]["code"] == "MalformedResponse" and "SAME" not in response.text
    assert len(server.requests) == 2
    assert_no_canary(response.text, logs())


async def test_given_a_body_trickled_past_step_timeout_when_get_order_runs_then_it_rebounds_at_the_deadline(
        hostile, logs):
    async def trickle(request, writer):
        writer.write(head(200, {}, 10_000))
        for _ in range(10_000):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.1)

    server = await hostile(trickle)
    async with service(Settings(endpoint_allowlist=ALLOW, step_timeout_ms=1_500, mws_http_timeout=60)) as client:
        started = time.monotonic()
        response = await client.post("/actions/getOrder/execute", json={
            "cfg": {**CANARY_CFG, "endpointUrl": server.url},
            "msg": {"body": {"amazonOrderIds": ["902-3159896-1390916"]}, "headers": {}}})
        elapsed = time.monotonic() - started
    result = response.json()
    assert result["outcome"] == "rebound" and elapsed < 5, (result, elapsed)
    assert_no_canary(response.text, logs())


async def test_given_an_endpoint_outside_the_allowlist_when_a_step_runs_then_nothing_reaches_it(hostile, logs):
    async def handler(request, writer):
        answer(writer, 200, list_order_items())

    server = await hostile(handler)
    async with service(Settings()) as client:
        response = await client.post("/actions/listOrderItems/execute", json={
            "cfg": {**CANARY_CFG, "endpointUrl": server.url},
            "msg": {"body": {"amazonOrderId": "902-3159896-1390916"}, "headers": {}}})
        verify = await client.post("/verify-credentials", json={"cfg": {**CANARY_CFG, "endpointUrl": server.url}})
    # Refused before the run (422 at cfg.endpointUrl, once the pre-run check calls endpoint_problems)
    # or by the client itself (an EndpointNotAllowed error event): either way no request left.
    if response.status_code == 422:
        assert [p["path"] for p in response.json()["detail"]] == ["cfg.endpointUrl"]
    else:
        assert response.json()["events"][0]["error"]["code"] == "EndpointNotAllowed"
    assert verify.status_code == 422 or verify.json()["verified"] is False
    assert server.connections == 0 and str(server.port) not in response.text
    assert_no_canary(response.text, verify.text, logs())
