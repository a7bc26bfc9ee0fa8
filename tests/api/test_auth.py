"""STEP_API_TOKEN: every route but /healthz (and /sandbox/...) needs the bearer token."""
from __future__ import annotations

import pytest

from app.settings import Settings

from api_helpers import creds

TOKEN = "s3cret-token"


@pytest.fixture
async def guarded(make_client):
    return await make_client(Settings(step_api_token=TOKEN))


ROUTES = [
    ("GET", "/component", None), ("GET", "/actions/echo/metadata", None), ("POST", "/actions/echo/metadata", {}),
    ("GET", "/triggers/poll/metadata", None), ("POST", "/select-model", {"step": "poll", "field": "shape"}),
    ("POST", "/verify-credentials", {"cfg": {}}), ("POST", "/triggers/poll/execute", {"cfg": creds()}),
    ("POST", "/actions/echo/execute", {"cfg": creds(), "msg": {"body": {"behaviour": "ok"}}}),
]


@pytest.mark.parametrize("method,path,body", ROUTES)
async def test_given_a_token_is_set_when_a_route_is_called_without_it_then_401_json(guarded, method, path, body):
    response = await guarded.request(method, path, json=body)
    assert response.status_code == 401
    assert response.json()["detail"][0]["message"] == "a valid bearer token is required"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer wrong", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN}x", "Bearer \u00fc".encode("latin-1"), ""])
async def test_given_a_token_is_set_when_a_wrong_token_is_sent_then_401(guarded, header):
    response = await guarded.get("/component", headers={"Authorization": header})
    assert response.status_code == 401


async def test_given_a_token_is_set_when_the_right_token_is_sent_then_the_route_answers(guarded):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert (await guarded.get("/component", headers=headers)).status_code == 200
    response = await guarded.post("/triggers/poll/execute", json={"cfg": creds(count=1)}, headers=headers)
    assert response.status_code == 200 and response.json()["outcome"] == "ok"


async def test_given_a_token_is_set_when_healthz_without_it_then_200(guarded):
    assert (await guarded.get("/healthz")).status_code == 200


async def test_given_no_token_is_set_when_a_route_is_called_without_one_then_it_answers(client):
    assert (await client.get("/component")).status_code == 200


async def test_given_a_token_is_set_when_the_step_is_unknown_then_401_before_404(guarded):
    assert (await guarded.post("/actions/nope/execute", json={})).status_code == 401
