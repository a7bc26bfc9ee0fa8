"""POST /{triggers,actions}/{key}/execute: input checks (422), the JSON and NDJSON results, snapshots."""
from __future__ import annotations

import json

from api_helpers import creds

NDJSON = {"Accept": "application/x-ndjson"}


def lines(response) -> list[dict]:
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines()]


async def echo(client, behaviour: str, headers=None, extra=None, **body):
    """Run the fixture action `echo` with msg.body {"behaviour": ..., **body}; `extra` joins the request body."""
    payload = {"msg": {"body": {"behaviour": behaviour, **body}, "headers": {}}, "cfg": creds(), **(extra or {})}
    return await client.post("/actions/echo/execute", json=payload, headers=headers or {})


# --- 422: checked before anything runs -------------------------------------------------------------

async def test_given_cfg_without_seller_id_when_execute_then_422_naming_cfg_seller_id(client):
    cfg = creds()
    del cfg["sellerId"]
    response = await client.post("/triggers/poll/execute", json={"cfg": cfg})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"path": "cfg.sellerId", "message": "is required"}]}


async def test_given_an_empty_cfg_when_execute_then_every_missing_credential_is_named(client):
    response = await client.post("/triggers/poll/execute", json={})
    paths = {p["path"] for p in response.json()["detail"]}
    assert paths == {"cfg.sellerId", "cfg.accessKeyId", "cfg.secretAccessKey", "cfg.marketplaceId"}


async def test_given_a_bad_msg_body_field_when_execute_then_422_naming_the_element(client):
    response = await client.post("/actions/echo/execute", json={
        "cfg": creds(), "msg": {"body": {"behaviour": "ok", "orderIds": ["111-1111111-1111111", "nope-CANARY-SECRET-123"]}}})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["path"] == "msg.body.orderIds[1]"
    assert "3-7-7 digits" in problem["message"] and "nope" not in problem["message"]  # words, not the regex


async def test_given_a_missing_nested_field_when_execute_then_the_path_names_the_field_itself(client):
    response = await client.post("/actions/echo/execute", json={
        "cfg": creds(), "msg": {"body": {"behaviour": "ok", "items": [{"sku": "A-1"}, {"quantity": 2}]}}})
    assert response.json() == {"detail": [{"path": "msg.body.items[1].sku", "message": "is required"}]}


async def test_given_a_missing_msg_body_when_execute_action_then_422_for_its_required_field(client):
    response = await client.post("/actions/echo/execute", json={"cfg": creds()})
    assert response.json() == {"detail": [{"path": "msg.body.behaviour", "message": "is required"}]}


async def test_given_a_body_that_is_not_json_when_execute_then_422(client):
    response = await client.post("/actions/echo/execute", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"path": "body", "message": "must be valid JSON"}]}


async def test_given_a_json_array_body_when_execute_then_422(client):
    response = await client.post("/actions/echo/execute", json=[1, 2])
    assert response.json() == {"detail": [{"path": "body", "message": "must be a JSON object"}]}


async def test_given_a_bad_mode_or_snapshot_when_execute_then_422_naming_them(client):
    response = await client.post("/triggers/poll/execute", json={"cfg": creds(), "mode": "dry", "snapshot": [1]})
    assert {p["path"] for p in response.json()["detail"]} == {"mode", "snapshot"}


async def test_given_a_step_cfg_field_of_the_wrong_type_when_execute_then_422_from_the_step_cfg_schema(client):
    response = await client.post("/triggers/poll/execute", json={"cfg": creds(count="many")})
    assert response.json() == {"detail": [{"path": "cfg.count", "message": "Count: must be an integer"}]}


async def test_given_the_step_check_finds_a_problem_when_execute_then_422_and_process_never_runs(client):
    response = await client.post("/actions/echo/execute", json={
        "cfg": creds(), "msg": {"body": {"behaviour": "raise", "items": [{"sku": "A", "quantity": 100}]}}})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"path": "msg.body.items[0].quantity", "message": "must not exceed 99"}]}


async def test_given_a_422_when_ndjson_is_asked_then_a_plain_422_and_no_stream(client):
    cfg = creds()
    del cfg["sellerId"]
    response = await client.post("/triggers/poll/execute", json={"cfg": cfg}, headers=NDJSON)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"


# --- results ----------------------------------------------------------------------------------------

async def test_given_a_trigger_when_execute_then_json_result_with_events_and_snapshot(client):
    response = await client.post("/triggers/poll/execute", json={"cfg": creds(count=2), "snapshot": {"n": 4}})
    assert response.status_code == 200
    assert response.json() == {
        "outcome": "ok",
        "events": [{"type": "data", "body": {"n": 0}}, {"type": "data", "body": {"n": 1}},
                   {"type": "snapshot", "body": {"n": 5}}],
        "snapshot": {"n": 5},
    }


async def test_given_mode_and_snapshot_omitted_when_execute_then_run_mode_and_empty_snapshot(client):
    response = await client.post("/triggers/poll/execute", json={"cfg": creds(count=0)})
    assert response.json() == {"outcome": "ok", "events": [{"type": "snapshot", "body": {"n": 1}}], "snapshot": {"n": 1}}


async def test_given_no_snapshot_event_when_execute_then_the_received_snapshot_is_returned(client):
    response = await client.post("/triggers/poll/execute",
                                 json={"cfg": creds(count=1), "mode": "sample", "snapshot": {"n": 9}})
    assert response.json() == {"outcome": "ok", "events": [{"type": "data", "body": {"n": 0}}], "snapshot": {"n": 9}}


async def test_given_several_snapshot_events_when_execute_then_the_last_one_is_the_snapshot(client):
    response = await echo(client, "snapshots")
    assert response.json()["snapshot"] == {"n": 2}


async def test_given_sample_mode_when_execute_action_then_the_step_sees_it(client):
    response = await client.post("/actions/echo/execute", json={
        "cfg": creds(), "mode": "sample", "msg": {"body": {"behaviour": "ok", "items": [{"sku": "A-1"}]}}})
    assert response.json()["events"] == [{"type": "data", "body": {"items": [{"sku": "A-1"}], "mode": "sample", "endpoint": None}}]


async def test_given_a_rebound_when_execute_then_outcome_rebound_with_the_new_snapshot(client):
    response = await echo(client, "rebound")
    assert response.json() == {
        "outcome": "rebound",
        "events": [{"type": "snapshot", "body": {"cursor": "abc"}},
                   {"type": "rebound", "reason": "not ready yet", "retryAfterMs": 1234}],
        "snapshot": {"cursor": "abc"},
    }


async def test_given_a_step_error_when_execute_then_200_with_its_error_event(client):
    response = await echo(client, "stepError")
    assert response.status_code == 200
    assert response.json()["outcome"] == "error"
    assert response.json()["events"][-1] == {"type": "error", "error": {
        "code": "RequestThrottled", "message": "Request is throttled", "type": "Sender", "requestId": "req-1",
        "retriable": True}}


async def test_given_an_emitted_error_event_when_execute_then_outcome_error(client):
    response = await echo(client, "errorEvent")
    assert response.json()["outcome"] == "error"
    assert response.json()["events"][0]["error"]["code"] == "FeedCancelled"


async def test_given_a_step_that_raises_when_execute_then_internal_error_event_never_500(client):
    response = await echo(client, "raise")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "error"
    [event] = body["events"]
    assert event["error"]["code"] == "InternalError" and event["error"]["requestId"] is None
    assert "mws.example" not in response.text and "Signature" not in response.text


async def test_given_an_unserializable_event_when_execute_then_an_internal_error_event(client):
    response = await echo(client, "unserializable")
    assert response.status_code == 200
    assert response.json()["outcome"] == "error"


async def test_given_ndjson_when_execute_then_one_event_a_line_and_an_end_line(client):
    response = await client.post("/triggers/poll/execute", json={"cfg": creds(count=2)}, headers=NDJSON)
    assert response.status_code == 200
    assert lines(response) == [
        {"type": "data", "body": {"n": 0}}, {"type": "data", "body": {"n": 1}},
        {"type": "snapshot", "body": {"n": 1}},
        {"type": "end", "outcome": "ok", "snapshot": {"n": 1}},
    ]


async def test_given_a_step_that_raises_after_emitting_when_streamed_then_error_line_then_end_line(client):
    response = await echo(client, "raiseAfterEmit", headers=NDJSON, extra={"snapshot": {"page": 0}})
    events = lines(response)
    assert [e["type"] for e in events] == ["data", "snapshot", "error", "end"]
    assert events[2]["error"]["code"] == "InternalError"
    assert events[3] == {"type": "end", "outcome": "error", "snapshot": {"page": 1}}
    assert "CANARY" not in response.text


async def test_given_a_step_error_when_streamed_then_its_error_line_then_end(client):
    events = lines(await echo(client, "stepError", headers=NDJSON))
    assert [e["type"] for e in events] == ["data", "error", "end"]
    assert events[1]["error"]["code"] == "RequestThrottled"
    assert events[2] == {"type": "end", "outcome": "error", "snapshot": {}}


async def test_given_many_events_when_streamed_then_every_one_arrives_in_order(client):
    events = lines(await echo(client, "flood", headers=NDJSON, count=2000))
    assert [e["body"]["n"] for e in events[:-1]] == list(range(2000))
    assert events[-1]["type"] == "end"
