"""Secrets canary (contract §3): every declared step, on success and failure paths, never shows the secret.

A canary secret key and a canary MWS auth token are registered with an in-process sandbox
(`add_seller`) for the demo seller. Every trigger and action of the project's component.json runs
with them, with a minimal valid message, (1) against the sandbox, (2) with a wrong secret (Amazon's
SignatureDoesNotMatch), (3) over a network that fails with httpx errors whose text holds the full
URL (MWSAuthToken in the query), (4) against an Amazon answering 500. Every answer (JSON and
NDJSON), every log record at DEBUG (root, httpx, httpcore, uvicorn.access), the service's stderr
and the text of every logged exception are searched for both canaries.
"""
from __future__ import annotations

import json
import logging
import traceback

import httpx
import pytest

from app.clock import VirtualClock
from app.sandbox import DEMO, Sandbox
from app.settings import PROJECT_ROOT, Settings

COMPONENT = PROJECT_ROOT / "component.json"
SECRET = "CANARY-SECRET-KEY-5b1e"
TOKEN = "amzn.mws.CANARY-TOKEN-9d2c"
KEY_ID = "AKIACANARYKEY"
ORDER = "902-3159896-1390916"
STEPS = json.loads(COMPONENT.read_text())
MSG_BODIES = {
    "getOrder": {"amazonOrderIds": [ORDER]},
    "listOrderItems": {"amazonOrderId": ORDER},
    "updateOrder": {"messages": [{"amazonOrderID": ORDER, "statusCode": "Success"}]},
    "updateItem": {"messages": [{"SKU": "CANARY-SKU-1", "Quantity": 1}]},
    "submitInventory": {"SKU": "CANARY-SKU-1", "Quantity": 1},
    "changeProductPrice": {"SKU": "CANARY-SKU-1", "StandardPrice": {"value": "9.99", "currency": "USD"}},
    "changeProductImage": {"SKU": "CANARY-SKU-1", "ImageType": "Main", "ImageLocation": "https://example.com/a.jpg"},
    "establishProductRelationships": {"ParentSKU": "CANARY-P", "Relation": [{"SKU": "CANARY-SKU-1", "Type": "Variation"}]},
    "getFeedSubmissionStatus": {"feedSubmissionId": "50000018000"},
    "getFeedSubmissionResult": {"feedSubmissionId": "50000018000"},
    "submitProduct": {"SKU": "CANARY-SKU-1"},
    "submitProductCategoryFromPayload": {"SKU": "CANARY-SKU-1", "category": "Toys"},
    "getReport": {},
}
EXTRA_CFG = {"submitProduct": {"category": "Toys", "operation": "Update"}, "getReport": {"reportType": "allListings"},
             "getReportRows": {"reportType": "ordersByLastUpdate"}}


def every_step() -> list[tuple[str, str]]:
    return [("trigger", k) for k in STEPS.get("triggers", {})] + [("action", k) for k in STEPS.get("actions", {})]


def canary_cfg(key: str, **over) -> dict:
    cfg = {"sellerId": DEMO["sellerId"], "accessKeyId": KEY_ID, "secretAccessKey": SECRET, "mwsAuthToken": TOKEN,
           "marketplaceId": DEMO["marketplaceId"], "maxResultsPerPage": 5, **EXTRA_CFG.get(key, {})}
    cfg.update(over)
    return cfg


@pytest.fixture
def logs(capsys, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "uvicorn", "uvicorn.access", "uvicorn.error"):
        caplog.set_level(logging.DEBUG, logger=name)

    def collect() -> str:
        from app.logs import JsonFormatter
        parts = [capsys.readouterr().err]
        for record in caplog.records:
            parts += [record.getMessage(), JsonFormatter().format(record)]
            if record.exc_info and record.exc_info[1] is not None:
                exc = record.exc_info[1]
                parts += [str(exc), "".join(traceback.format_exception(exc))]
        return "\n".join(parts)
    return collect


def assert_clean(text: str) -> None:
    assert SECRET not in text
    assert TOKEN not in text
    assert "CANARY-TOKEN" not in text and "CANARY-SECRET" not in text  # not even in pieces


async def run_step(client: httpx.AsyncClient, kind: str, key: str, cfg: dict, mode: str = "run",
                   order: str = ORDER) -> list[str]:
    body: dict = {"cfg": cfg, "mode": mode}
    if kind == "action":
        msg_body = json.loads(json.dumps(MSG_BODIES.get(key, {})).replace(ORDER, order))
        body["msg"] = {"body": msg_body, "headers": {}}
    texts = []
    for accept in ("application/json", "application/x-ndjson"):
        response = await client.post(f"/{kind}s/{key}/execute", json=body, headers={"Accept": accept})
        assert response.status_code in (200, 422), (key, response.status_code, response.text)
        texts.append(response.text)
    return texts


@pytest.fixture
async def sandboxed(make_client):
    clock = VirtualClock()
    sandbox = Sandbox(clock=clock, seed=1, order_every=10**9)
    sandbox.add_seller(KEY_ID, SECRET, DEMO["sellerId"], TOKEN, ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"))
    return await make_client(Settings(step_timeout_ms=600_000, throttle_retry_delay_ms=1_000, endpoint_allowlist=("http://amazon.test", "http://mws.test"),
                                      response_check_delay_ms=1_000),
                             component_path=COMPONENT, clock=clock, sandbox=sandbox)


def test_given_the_component_then_every_declared_action_has_a_message_here():
    assert {k for kind, k in every_step() if kind == "action"} <= set(MSG_BODIES)


@pytest.mark.parametrize("kind,key", every_step())
async def test_given_canary_credentials_when_every_step_runs_against_the_sandbox_then_no_canary_anywhere(
        sandboxed, logs, kind, key):
    order = sandboxed.app.state.runtime.sandbox.state()["orders"][-1]["amazonOrderId"]
    texts = await run_step(sandboxed, kind, key, canary_cfg(key), order=order)
    if key in ("getOrder", "listOrderItems", "getNewAndUpdatedOrders"):
        # A real success path, not a refusal (the trigger may rebound at its deadline, with data emitted).
        assert '"type":"data"' in texts[0] and '"type":"error"' not in texts[0], texts[0][:500]
    for text in texts:
        assert_clean(text)
    verify = await sandboxed.post("/verify-credentials", json={"cfg": canary_cfg(key)})
    assert verify.json()["verified"] is True
    assert_clean(verify.text)
    assert_clean(logs())


@pytest.mark.parametrize("kind,key", every_step())
async def test_given_a_wrong_secret_when_every_step_runs_then_signature_errors_show_no_canary(
        sandboxed, logs, kind, key):
    texts = await run_step(sandboxed, kind, key, canary_cfg(key, secretAccessKey=SECRET + "-WRONG"), mode="sample")
    joined = "\n".join(texts)
    assert "SignatureDoesNotMatch" in joined or '"outcome":"ok"' not in texts[0]
    for text in texts:
        assert_clean(text)
    verify = await sandboxed.post("/verify-credentials", json={"cfg": canary_cfg(key, secretAccessKey=SECRET + "x")})
    assert verify.json()["verified"] is False
    assert_clean(verify.text)
    assert_clean(logs())


def _failing_network(kind: str):
    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)  # SubmitFeed: MWSAuthToken and Signature in the query
        if kind == "connect":
            raise httpx.ConnectError(f"cannot connect to {url}", request=request)
        if kind == "read":
            raise httpx.ReadError(f"connection reset while reading {url}", request=request)
        if kind == "timeout":
            raise httpx.ReadTimeout(f"timed out reading {url}", request=request)
        return httpx.Response(500, text="<html>Internal Server Error</html>")
    return handler


@pytest.mark.parametrize("failure", ["connect", "read", "timeout", "500"])
@pytest.mark.parametrize("kind,key", every_step())
async def test_given_a_failing_network_or_amazon_when_every_step_runs_then_no_canary_anywhere(
        make_client, logs, kind, key, failure):
    client = await make_client(Settings(step_timeout_ms=600_000, response_check_delay_ms=1_000, endpoint_allowlist=("http://amazon.test", "http://mws.test")),
                               component_path=COMPONENT, transport=httpx.MockTransport(_failing_network(failure)))
    cfg = canary_cfg(key, endpointUrl="http://amazon.test")
    texts = await run_step(client, kind, key, cfg)
    assert '"outcome":"ok"' not in texts[0], texts[0][:300]  # the failure was met (error or rebound)
    for text in texts:
        assert_clean(text)
    verify = await client.post("/verify-credentials", json={"cfg": cfg})
    assert verify.json()["verified"] is False
    assert_clean(verify.text)
    assert_clean(logs())
