"""Secrets never reach a response or a log line (contract §3): each known leak, closed and tested.

The canary rides in cfg.secretAccessKey and cfg.mwsAuthToken; every answer body and every log line
written to stderr (the service's JSON handler) is searched for it.
"""
from __future__ import annotations

import json
import logging

import httpx
import pytest
from fastapi import Body

from api_helpers import CANARY, creds


@pytest.fixture
def logs(capsys, caplog):
    """Everything the service logged: its JSON lines on stderr, and the records themselves, formatted."""
    caplog.set_level(logging.DEBUG)

    def collect() -> str:
        from app.logs import JsonFormatter
        formatted = "\n".join(JsonFormatter().format(r) for r in caplog.records)
        return capsys.readouterr().err + "\n" + formatted
    return collect


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert CANARY not in text


async def test_given_a_step_raising_with_a_secret_in_its_text_when_execute_then_neither_answer_nor_log_has_it(client, logs):
    for accept in ("application/json", "application/x-ndjson"):
        response = await client.post("/actions/echo/execute", headers={"Accept": accept},
                                     json={"cfg": creds(), "msg": {"body": {"behaviour": "raiseAfterEmit"}}})
        assert response.status_code == 200 and "InternalError" in response.text
        assert_clean(response.text)
    out = logs()
    assert "step raised" in out and "ValueError" in out  # logged by type and stack ...
    assert_clean(out)  # ... never by its text


async def test_given_schema_errors_in_a_cfg_holding_secrets_when_execute_then_the_422_echoes_nothing(client, logs):
    cfg = creds(sellerId=["not", "a", "string"], count=CANARY, marketplaceId={"x": CANARY})
    response = await client.post("/triggers/poll/execute", json={"cfg": cfg})
    assert response.status_code == 422
    assert {p["path"] for p in response.json()["detail"]} == {"cfg.sellerId", "cfg.count", "cfg.marketplaceId"}
    assert_clean(response.text, logs())


async def test_given_a_secret_in_a_msg_body_value_that_fails_when_execute_then_the_422_echoes_nothing(client):
    response = await client.post("/actions/echo/execute", json={
        "cfg": creds(), "msg": {"body": {"behaviour": CANARY, "items": [{"sku": CANARY.lower()}]}}})
    assert response.status_code == 422
    assert_clean(response.text)


async def test_given_a_pydantic_validated_route_when_its_input_fails_then_fastapi_default_422_is_replaced(client):
    app = client.app

    @app.post("/probe")  # a route of the kind FastAPI validates itself; ours never do
    async def probe(count: int = Body(..., embed=True)) -> dict:
        return {"count": count}

    response = await client.post("/probe", json={"count": CANARY, "cfg": creds()})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"path": "body.count", "message": "must be an integer"}]}
    assert_clean(response.text)


async def test_given_a_step_calling_amazon_with_the_token_in_the_query_when_execute_then_no_log_line_has_it(make_client, logs):
    seen: list[str] = []

    def amazon(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, text="<ok/>")

    client = await make_client(transport=httpx.MockTransport(amazon))
    response = await client.post("/actions/echo/execute", json={"cfg": creds(), "msg": {"body": {"behaviour": "logSecret"}}})
    assert response.json()["outcome"] == "ok"
    assert CANARY in seen[0]  # the secret did travel in the URL ...
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() >= logging.WARNING
    assert_clean(logs())  # ... and httpx's INFO request line was not written


def test_given_uvicorn_logs_a_request_with_a_query_when_formatted_then_the_query_is_gone(capsys):
    from app.logs import configure_logging

    configure_logging("INFO")
    access = logging.getLogger("uvicorn.access")
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/component?MWSAuthToken={CANARY}&x=1", "1.1", 200)
    err = capsys.readouterr().err
    line = json.loads(err.strip().splitlines()[-1])
    assert line["message"] == '127.0.0.1:5000 - "GET /component HTTP/1.1" 200'
    assert_clean(err)


async def test_given_an_unexpected_exception_in_a_route_when_answered_then_500_without_its_text(client, logs):
    @client.app.get("/explode")
    async def explode() -> dict:
        raise RuntimeError(f"connect to https://mws.example/?MWSAuthToken={CANARY}")

    # Starlette re-raises after answering so the server can log it; uvicorn logs it like this:
    transport = httpx.ASGITransport(app=client.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as raw:
        response = await raw.get("/explode")
    try:
        raise RuntimeError(f"https://mws.example/?MWSAuthToken={CANARY}")
    except RuntimeError as exc:
        logging.getLogger("uvicorn.error").error("Exception in ASGI application\n", exc_info=exc)
    assert response.status_code == 500
    out = logs()
    assert "Exception in ASGI application" in out and "RuntimeError" in out
    assert_clean(response.text, out)


async def test_given_get_meta_model_raising_with_a_secret_when_post_metadata_then_nothing_leaks(client, logs):
    response = await client.post("/actions/shaped/metadata", json={"cfg": creds(kind="broken")})
    assert response.status_code == 500
    assert_clean(response.text, logs())
