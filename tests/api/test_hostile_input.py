"""Odd input answers 422 at the offending path, never a 5xx (hardening, lines 1 and 6).

Every request goes over HTTP to the app in-process, with canary credentials (api_helpers.CANARY) in
its cfg: no answer and no log line may show them, whatever the input did.
"""
from __future__ import annotations

import json
import logging

import httpx
import pytest

from app.settings import PROJECT_ROOT, Settings

from api_helpers import CANARY, creds

COMPONENT = PROJECT_ROOT / "component.json"
ORDER = "902-3159896-1390916"


@pytest.fixture
def logs(capsys, caplog):
    caplog.set_level(logging.DEBUG)

    def collect() -> str:
        return capsys.readouterr().err + "\n" + caplog.text
    return collect


@pytest.fixture
async def service(make_client):
    return await make_client(Settings(), component_path=COMPONENT)


def execute_body(msg_body: object, **cfg_extra: object) -> dict:
    return {"cfg": creds(**cfg_extra), "msg": {"body": msg_body, "headers": {}}}


async def post_raw(client: httpx.AsyncClient, path: str, raw: bytes) -> httpx.Response:
    return await client.post(path, content=raw, headers={"Content-Type": "application/json"})


def assert_422(response: httpx.Response, logs, *paths: str) -> list[dict]:
    assert response.status_code == 422, (response.status_code, response.text[:500])
    detail = response.json()["detail"]
    for path in paths:
        assert path in [p["path"] for p in detail], detail
    assert CANARY not in response.text and CANARY not in logs()
    return detail


# -- the body itself ---------------------------------------------------------------------------------

async def test_given_json_nested_1000_deep_when_executed_then_422_at_body_not_500(service, logs):
    deep = '{"cfg": ' + json.dumps(creds()) + ', "msg": {"body": {"amazonOrderIds": ' + "[" * 1000 + "]" * 1000 + "}}}"
    response = await post_raw(service, "/actions/getOrder/execute", deep.encode())
    detail = assert_422(response, logs, "body")
    assert "nested too deeply" in detail[0]["message"]


async def test_given_json_nested_within_64_levels_when_executed_then_the_schema_answers_at_the_field(service, logs):
    nested = {"amazonOrderIds": [ORDER], "extra": json.loads("[" * 50 + "]" * 50)}
    response = await service.post("/actions/getOrder/execute", json=execute_body(nested))
    assert response.status_code == 200, response.text[:300]  # extra keys are allowed by getOrder's schema


@pytest.mark.parametrize("escape,what", [("\\ud800", "lone surrogate"), ("\\udfff", "lone surrogate"),
                                         ("\\u0000", "control character"), ("\\u001b", "control character")])
async def test_given_a_lone_surrogate_or_control_character_in_a_value_when_executed_then_422_at_its_path(
        service, logs, escape, what):
    raw = json.dumps(execute_body({"SKU": "SKU-1", "Quantity": 1})).replace('"SKU-1"', f'"SKU{escape}1"')
    response = await post_raw(service, "/actions/submitInventory/execute", raw.encode())
    detail = assert_422(response, logs, "msg.body.SKU")
    assert what in detail[0]["message"] and escape not in response.text


async def test_given_a_control_character_in_the_cfg_and_a_batch_item_when_executed_then_each_path_is_named(service, logs):
    body = execute_body({"messages": [{"SKU": f"S{i}", "Quantity": 1} for i in range(5)]})
    raw = json.dumps(body).replace('"A1SELLER"', '"A1\\u0000SELLER"').replace('"S3"', '"S\\ud8003"')
    response = await post_raw(service, "/actions/updateItem/execute", raw.encode())
    assert_422(response, logs, "cfg.sellerId", "msg.body.messages[3].SKU")


async def test_given_a_control_character_in_a_key_when_executed_then_422_at_the_object_holding_it(service, logs):
    raw = json.dumps(execute_body({"amazonOrderIds": [ORDER], "x": 1})).replace('"x"', '"x\\u0007"')
    response = await post_raw(service, "/actions/getOrder/execute", raw.encode())
    detail = assert_422(response, logs, "msg.body")
    assert "property name" in detail[0]["message"]


async def test_given_tab_newline_and_a_valid_surrogate_pair_when_executed_then_they_pass(service, logs):
    raw = json.dumps(execute_body({"SKU": "SKU-1", "Quantity": 1})).replace('"SKU-1"', '"A\\tB\\n\\ud83d\\ude00"')
    response = await post_raw(service, "/actions/submitInventory/execute", raw.encode())
    assert response.status_code == 200, response.text[:300]


@pytest.mark.parametrize("raw", [b'{"cfg": {}, "mode": NaN}', b'{"cfg": {}, "n": 1e999}', b'{"n": ' + b"9" * 5000 + b"}",
                                 b'{"cfg": "\xff"}', b"[1, 2]"])
async def test_given_non_finite_huge_or_non_utf8_json_when_posted_then_422_not_500(service, logs, raw):
    response = await post_raw(service, "/verify-credentials", raw)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["path"] in ("body", "n")
