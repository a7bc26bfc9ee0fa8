"""Fuzzing the step API from its own OpenAPI document (schemathesis): no 5xx, every 4xx is JSON.

The app is the real one: the project's component.json, an in-process sandbox on a virtual clock
(so a generated request that happens to be valid runs against a faithful MWS, never the network),
STEP_API_TOKEN set. The document is fetched from /openapi.json with the token, which also shows it
is served there and describes every route of contract §2. The run is seeded (derandomized) and
bounded; schemathesis's own conformance checks prove the document truthful (status codes, content
types, response schemas, the token).
"""
from __future__ import annotations

import httpx
import schemathesis
from hypothesis import HealthCheck, settings

from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.clock import VirtualClock
from app.main import create_app
from app.sandbox import Sandbox
from app.settings import Settings

from api_helpers import offline

TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CONTRACT_ROUTES = {
    ("GET", "/healthz"), ("GET", "/component"), ("GET", "/metrics"),
    ("GET", "/triggers/{key}/metadata"), ("POST", "/triggers/{key}/metadata"),
    ("GET", "/actions/{key}/metadata"), ("POST", "/actions/{key}/metadata"),
    ("POST", "/triggers/{key}/execute"), ("POST", "/actions/{key}/execute"),
    ("POST", "/select-model"), ("POST", "/verify-credentials"),
}


def fuzz_app():
    clock = VirtualClock()
    sandbox = Sandbox(clock=clock, seed=1, order_every=10**9)
    return create_app(Settings(step_api_token=TOKEN, step_timeout_ms=60_000, throttle_retry_delay_ms=1_000),
                      clock=clock, sandbox=sandbox, transport=httpx.MockTransport(offline))


APP = fuzz_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, headers=AUTH)


def test_given_the_document_then_it_lists_every_route_of_the_contract():
    listed = {(op.method.upper(), op.path) for op in (r.ok() for r in schema.get_all_operations())}
    assert listed == CONTRACT_ROUTES


def test_given_no_token_when_openapi_json_then_401():
    from schemathesis.python.asgi import get_client

    with get_client(APP) as client:
        assert client.get("/openapi.json").status_code == 401
        # /docs is a public page (app.api.docs) holding none of the document, which it fetches with the token.
        docs = client.get("/docs")
        assert docs.status_code == 200 and "/actions/{key}/execute" not in docs.text


def json_4xx(ctx, response, case) -> None:
    if 400 <= response.status_code < 500:
        assert response.headers.get("content-type", [""])[0].startswith("application/json"), "4xx without JSON"
        response.json()  # raises when the body is not JSON


@schema.parametrize()
@settings(max_examples=25, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_given_generated_requests_when_sent_then_no_5xx_and_every_4xx_is_json(case):
    response = case.call(headers=AUTH)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
    json_4xx(None, response, case)
    # Not positive_data_acceptance: a generic route's schema cannot carry each step's own cfg fields,
    # msg.body schema and semantic checks (dates, windows), so a schema-valid body may still be a 422.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
