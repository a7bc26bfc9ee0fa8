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
from tests.conftest import require_shared

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
                                         ("\\u0000", "control character"), ("\\u001b", "control character"),
                                         ("\\uffff", "U+FFFE or U+FFFF")])
async def test_given_a_lone_surrogate_or_control_character_in_a_value_when_executed_then_422_at_its_path(
        service, logs, escape, what):
    raw = json.dumps(execute_body({"SKU": "SKU-1", "Quantity": 1})).replace('"SKU-1"', f'"SKU{escape}1"')
    response = await post_raw(service, "/actions/submitInventory/execute", raw.encode())
    detail = assert_422(response, logs, "msg.body.SKU")
    assert what in detail[0]["message"] and escape not in response.text


async def test_given_a_lone_surrogate_in_a_snapshot_when_a_stream_is_asked_then_422_before_any_stream_opens(service, logs):
    raw = json.dumps({"cfg": creds(), "snapshot": {"nextToken": "TOKEN"}}).replace('"TOKEN"', '"T\\udc00"')
    response = await service.post("/triggers/getNewAndUpdatedOrders/execute", content=raw.encode(),
                                  headers={"Content-Type": "application/json", "Accept": "application/x-ndjson"})
    assert_422(response, logs, "snapshot.nextToken")
    assert response.headers["content-type"].startswith("application/json")


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


# -- how much a 422 says, and how long it takes to say it ------------------------------------------------

async def test_given_10000_bad_order_ids_when_get_order_runs_then_50_problems_and_a_count_of_the_rest(service, logs):
    ids = [f"bad-{i}" for i in range(10_000)]
    response = await service.post("/actions/getOrder/execute", json=execute_body({"amazonOrderIds": ids}))
    detail = assert_422(response, logs, "msg.body.amazonOrderIds[0]")
    assert len(detail) == 51
    assert detail[-1] == {"path": "msg.body", "message": "… and 9950 more problems"}
    assert all("bad-" not in p["message"] for p in detail)


def test_given_a_million_bad_problems_when_validated_then_collection_stops_after_the_cap():
    from jsonschema import Draft202012Validator

    from app.runtime.validation import COUNT_BEYOND, problems_for

    drawn = 0

    class Ids(list):  # counts the items validation draws from it
        def __iter__(self):
            nonlocal drawn
            for item in super().__iter__():
                drawn += 1
                yield item

    validator = Draft202012Validator({"type": "array", "items": {"type": "string", "pattern": "^[0-9]+$"}})
    problems = problems_for(validator, Ids(["x"] * 1_000_000), "msg.body.ids")
    assert len(problems) == 51 and problems[-1].message == f"… and at least {COUNT_BEYOND + 1} more problems"
    assert drawn <= 51 + COUNT_BEYOND


def test_given_huge_values_failing_container_keywords_when_validated_then_no_error_carries_their_repr():
    from jsonschema import Draft202012Validator

    from app.runtime.validation import _quiet, problems_for

    schema = {"type": "object", "properties": {
        "a": {"type": "object"}, "b": {"type": "array", "maxItems": 2}, "c": {"enum": [1, 2]},
        "d": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "e": {"not": {"type": "array"}},
        "f": {"type": "array", "uniqueItems": True}, "g": {"type": "object", "maxProperties": 1}}}
    big = ["bad-id-0000000"] * 200_000
    instance = {"a": big, "b": big, "c": [big], "d": [big], "e": big, "f": big, "g": dict.fromkeys(map(str, range(50_000)))}
    errors = list(_quiet(Draft202012Validator(schema)).iter_errors(instance))
    messages = [e.message for e in errors] + [c.message for e in errors for c in e.context]
    assert {e.validator for e in errors} == {"type", "maxItems", "enum", "anyOf", "not", "uniqueItems", "maxProperties"}
    assert messages and all(len(m) < 200 for m in messages), max(messages, key=len)[:200]
    assert [p.path for p in problems_for(Draft202012Validator(schema), instance, "msg.body")] == [f"msg.body.{k}" for k in "abcdefg"]


def test_given_more_problems_than_the_cap_from_several_checks_when_raised_then_one_count_closes_the_list():
    from app.runtime.errors import InputInvalid, InputProblem, MoreProblems

    cfg = [InputProblem(f"cfg.f{i}", "is required") for i in range(30)]
    body = [InputProblem(f"msg.body.items[{i}]", "is not valid") for i in range(30)]
    invalid = InputInvalid(cfg + body + [MoreProblems.of("msg.body", 500, exact=False)])
    assert len(invalid.problems) == 51
    assert invalid.problems[-1] == MoreProblems.of("msg.body", 510, exact=False)
    assert invalid.problems[-1].message == "… and at least 510 more problems"
    assert InputInvalid(cfg * 2).problems[-1].message == "… and 10 more problems"
    assert InputInvalid(cfg * 2).problems[-1].path == "cfg"


async def test_given_more_order_ids_than_get_order_takes_when_executed_then_422_at_the_array_at_once(service, logs):
    ids = [ORDER] * 10_001
    response = await service.post("/actions/getOrder/execute", json=execute_body({"amazonOrderIds": ids}))
    detail = assert_422(response, logs, "msg.body.amazonOrderIds")
    assert detail == [{"path": "msg.body.amazonOrderIds", "message": "Amazon Order IDs: must have at most 10000 items"}]


@pytest.mark.parametrize("key,item", [("updateItem", {"SKU": "S", "Quantity": 1}),
                                      ("submitInventory", {"SKU": "S", "Quantity": 1}),
                                      ("updateOrder", {"amazonOrderID": ORDER, "statusCode": "Success"})])
async def test_given_more_feed_messages_than_one_feed_takes_when_executed_then_422_at_messages(service, logs, key, item):
    response = await service.post(f"/actions/{key}/execute", json=execute_body({"messages": [item] * 30_001}))
    detail = assert_422(response, logs, "msg.body.messages")
    assert detail == [{"path": "msg.body.messages", "message": "Messages: must have at most 30000 items"}]


async def test_given_the_documented_maxima_when_metadata_is_read_then_descriptions_state_them(service):
    get_order = (await service.get("/actions/getOrder/metadata")).json()["in"]["properties"]["amazonOrderIds"]
    assert get_order["maxItems"] == 10_000 and "10,000" in get_order["description"]
    update_item = (await service.get("/actions/updateItem/metadata")).json()["in"]["properties"]["messages"]
    assert update_item["maxItems"] == 30_000 and "30,000" in update_item["description"]


# -- dates at the edge of Python's datetime ------------------------------------------------------------

OVERFLOWING = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00", "1969-12-31T23:59:59Z"]


@pytest.mark.parametrize("value", OVERFLOWING)
async def test_given_a_date_that_overflows_or_predates_1970_when_the_trigger_runs_then_422_at_the_field(service, logs, value):
    response = await service.post("/triggers/getNewAndUpdatedOrders/execute",
                                  json={"cfg": creds(startTime=value), "snapshot": {"lastUpdatedAfter": value}})
    detail = assert_422(response, logs, "cfg.startTime", "snapshot.lastUpdatedAfter")
    assert all("out of range" in p["message"] for p in detail) and value not in response.text


@pytest.mark.parametrize("value", OVERFLOWING)
async def test_given_a_sale_date_that_overflows_when_a_price_is_changed_then_422_at_the_date(service, logs, value):
    item = {"SKU": "S1", "StandardPrice": {"value": "9.99", "currency": "USD"},
            "SalePrice": {"value": "8.99", "currency": "USD", "StartDate": value, "EndDate": "2030-01-01T00:00:00Z"}}
    response = await service.post("/actions/changeProductPrice/execute", json=execute_body({"messages": [item, item]}))
    detail = assert_422(response, logs, "msg.body.messages[0].SalePrice.StartDate", "msg.body.messages[1].SalePrice.StartDate")
    assert "out of range" in detail[0]["message"]


@pytest.mark.parametrize("value", ["0001-01-01", "1969-12-31"])
async def test_given_a_restock_date_before_1970_when_inventory_is_submitted_then_422_at_the_date(service, logs, value):
    response = await service.post("/actions/submitInventory/execute",
                                  json=execute_body({"SKU": "S1", "Quantity": 1, "RestockDate": value}))
    assert_422(response, logs, "msg.body.RestockDate")


@pytest.mark.parametrize("value", OVERFLOWING)
async def test_given_a_launch_date_that_overflows_when_a_product_is_submitted_then_422_at_the_date(service, logs, value):
    response = await service.post("/actions/submitProduct/execute",
                                  json=execute_body({"SKU": "S1", "LaunchDate": value}, category="Toys"))
    assert_422(response, logs, "msg.body.LaunchDate")


# -- names no XML element can have ----------------------------------------------------------------------

BAD_NAMES = ["1abc", "a b", "x:y", "", "{urn:x}y", "-a"]


@pytest.mark.parametrize("name", BAD_NAMES)
async def test_given_an_xml_illegal_key_in_product_data_when_a_product_is_submitted_then_422_at_the_key(service, logs, name):
    data = {"ProductType": {"ToysAndGames": {}}, name: "x"}
    response = await service.post("/actions/submitProduct/execute",
                                  json=execute_body({"SKU": "S1", "ProductData": data}, category="Toys"))
    path = "msg.body.ProductData" + (f".{name}" if name.isidentifier() else f"[{json.dumps(name)}]")
    detail = assert_422(response, logs, path)
    assert "XML element name" in detail[0]["message"]


async def test_given_illegal_keys_deep_in_a_batch_when_products_are_submitted_from_payload_then_each_is_named(service, logs):
    good = {"SKU": "S0", "category": "Toys", "ProductData": {"ProductType": {"ToysAndGames": {}}}}
    bad = {"SKU": "S1", "category": "Toys", "DescriptionData": {"Title": "t", "ItemDimensions": {"Length": {"value": 1, "unit of measure": "CM"}}},
           "ProductData": {"ProductType": {"ToysAndGames": {"2x": 1}}, "Color": [{"ok": 1}, {"x:y": 2}]}}
    response = await service.post("/actions/submitProductCategoryFromPayload/execute",
                                  json=execute_body({"messages": [good, bad]}))
    assert_422(response, logs, 'msg.body.messages[1].DescriptionData.ItemDimensions.Length["unit of measure"]',
               'msg.body.messages[1].ProductData.ProductType.ToysAndGames["2x"]',
               'msg.body.messages[1].ProductData.Color[1]["x:y"]')


async def test_given_an_xml_illegal_key_when_the_xsds_check_the_product_then_still_422_not_500(make_client, logs):
    folder = require_shared(PROJECT_ROOT.parent / "shared" / "amazon-reference" / "xsd" / "amzn-envelope.xsd").parent
    client = await make_client(Settings(mws_xsd_dir=folder), component_path=COMPONENT)
    response = await client.post("/actions/submitProduct/execute",
                                 json=execute_body({"SKU": "S1", "ProductData": {"a b": 1}}, category="Toys"))
    assert_422(response, logs, 'msg.body.ProductData["a b"]')


# -- what comes back from "Amazon": processing reports with impossible counts ---------------------------

HUGE = "9" * 5000
FLAT = ("Feed Processing Summary:\n\tNumber of records processed\t\t{processed}\n\tNumber of records successful\t\t1\n\n"
        "original-record-number\tsku\terror-code\terror-type\terror-message\n"
        "{record}\tB-2\t99001\tError\tA value is missing\n")
XML = ('<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Header><DocumentVersion>1.02</DocumentVersion></Header>'
       "<MessageType>ProcessingReport</MessageType><Message><MessageID>1</MessageID><ProcessingReport>"
       "<DocumentTransactionID>50000018000</DocumentTransactionID><StatusCode>Complete</StatusCode>"
       "<ProcessingSummary><MessagesProcessed>{processed}</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful>"
       "<MessagesWithError>1</MessagesWithError><MessagesWithWarning>0</MessagesWithWarning></ProcessingSummary>"
       "<Result><MessageID>{record}</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>8560</ResultMessageCode>"
       "<ResultDescription>bad</ResultDescription></Result></ProcessingReport></Message></AmazonEnvelope>")
HOSTILE_REPORTS = [(kind, field, template.format(**{"processed": 2, "record": 2, field: value}))
                   for kind, template in (("flat", FLAT), ("xml", XML))
                   for field in ("processed", "record")
                   for value in (HUGE, "-3", "2.5", "1" * 21, "٣")]


def amazon_answering(report: str):
    from app.mws.md5 import content_md5

    body = report.encode("utf-8")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-MD5": content_md5(body),
                                                         "Content-Type": "text/plain;charset=UTF-8",
                                                         "x-mws-request-id": "req-1"})
    return httpx.MockTransport(handler)


@pytest.mark.parametrize("kind,field,report", HOSTILE_REPORTS, ids=lambda v: v if len(str(v)) < 12 else "")
async def test_given_a_report_with_a_huge_negative_or_non_integer_count_when_its_result_is_fetched_then_malformed_response(
        make_client, logs, kind, field, report):
    client = await make_client(Settings(endpoint_allowlist=("http://amazon.test", "http://mws.test")), component_path=COMPONENT, transport=amazon_answering(report))
    body = execute_body({"feedSubmissionId": "50000018000"}, endpointUrl="http://amazon.test")
    for accept in ("application/json", "application/x-ndjson"):
        response = await client.post("/actions/getFeedSubmissionResult/execute", json=body, headers={"Accept": accept})
        assert response.status_code == 200, response.text[:300]
        events = [json.loads(line) for line in response.text.splitlines()] if "ndjson" in accept else response.json()["events"]
        errors = [e["error"] for e in events if e["type"] == "error"]
        assert len(errors) == 1 and errors[0]["code"] == "MalformedResponse", events
        named = {"processed": ("MessagesProcessed", "number of records processed"), "record": ("MessageID", "original-record-number")}
        assert any(name in errors[0]["message"] for name in named[field]), errors[0]["message"]
        assert HUGE not in response.text and CANARY not in response.text
    assert CANARY not in logs() and HUGE not in logs()
