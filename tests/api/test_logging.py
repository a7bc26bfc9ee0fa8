"""Request ids and the one log line per step execution."""
from __future__ import annotations

import json
import logging

from api_helpers import creds


def json_lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


async def test_given_no_request_id_when_a_request_is_answered_then_one_is_generated_and_returned(client):
    response = await client.get("/healthz")
    assert len(response.headers["x-request-id"]) == 16


async def test_given_an_incoming_request_id_when_answered_then_it_is_honoured(client):
    response = await client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


async def test_given_an_unsafe_request_id_when_answered_then_it_is_replaced(client):
    response = await client.get("/healthz", headers={"X-Request-Id": "evil\tid\"x"})
    assert response.headers["x-request-id"] != "evil\tid\"x"


async def test_given_a_step_execution_when_it_ends_then_one_json_line_with_key_mode_outcome_duration_and_request_id(client, capsys):
    capsys.readouterr()
    await client.post("/triggers/poll/execute", json={"cfg": creds(count=3), "mode": "sample"},
                      headers={"X-Request-Id": "req-42"})
    lines = [entry for entry in json_lines(capsys.readouterr().err) if entry["message"] == "step executed"]
    assert len(lines) == 1
    line = lines[0]
    assert line["step"] == "poll" and line["mode"] == "sample" and line["outcome"] == "ok"
    assert line["requestId"] == "req-42" and line["events"] == 3 and line["durationMs"] >= 0
    assert line["level"] == "INFO" and line["logger"] == "app.runtime"


async def test_given_a_failing_step_when_it_ends_then_its_log_lines_carry_the_request_id(client, capsys):
    capsys.readouterr()
    await client.post("/actions/echo/execute", headers={"X-Request-Id": "req-7", "Accept": "application/x-ndjson"},
                      json={"cfg": creds(), "msg": {"body": {"behaviour": "raise"}}})
    lines = json_lines(capsys.readouterr().err)
    raised = [entry for entry in lines if entry["message"] == "step raised"]
    assert raised and raised[0]["requestId"] == "req-7" and raised[0]["excType"] == "builtins.RuntimeError"
    assert [e["outcome"] for e in lines if e["message"] == "step executed"] == ["error"]


def test_given_log_level_warning_when_configured_then_info_lines_are_dropped(capsys):
    from app.logs import configure_logging

    configure_logging("WARNING")
    try:
        logging.getLogger("app.runtime").info("quiet")
        logging.getLogger("app.runtime").warning("loud")
        err = capsys.readouterr().err
        assert "quiet" not in err and "loud" in err
    finally:
        configure_logging("INFO")
