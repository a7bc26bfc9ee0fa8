"""--sandbox: the sandbox mounted at /sandbox/mws and /sandbox/admin, and the default endpoint in-process."""
from __future__ import annotations

import httpx
import pytest

from app.clock import VirtualClock
from app.runtime.http import SANDBOX_BASE, HostRoutingTransport
from app.settings import Settings

from api_helpers import creds

sandbox_mod = pytest.importorskip("app.sandbox")


@pytest.fixture
def clock() -> VirtualClock:
    import time
    return VirtualClock(time.time())


async def test_given_sandbox_when_the_app_starts_then_the_sandbox_is_the_default_endpoint(make_client, clock):
    client = await make_client(Settings(sandbox=True), clock=clock)
    response = await client.post("/actions/echo/execute", json={"cfg": creds(), "msg": {"body": {"behaviour": "ok"}}})
    assert response.json()["events"][0]["body"]["endpoint"] == SANDBOX_BASE


async def test_given_sandbox_and_mws_endpoint_when_the_app_starts_then_mws_endpoint_wins(make_client, clock):
    client = await make_client(Settings(sandbox=True, mws_endpoint="http://mws.test"), clock=clock)
    response = await client.post("/actions/echo/execute", json={"cfg": creds(), "msg": {"body": {"behaviour": "ok"}}})
    assert response.json()["events"][0]["body"]["endpoint"] == "http://mws.test"


async def test_given_sandbox_and_a_token_when_sandbox_admin_is_called_without_it_then_it_answers(make_client, clock):
    client = await make_client(Settings(sandbox=True, step_api_token="t"), clock=clock)
    assert (await client.get("/sandbox/admin/state")).status_code == 200
    assert (await client.get("/component")).status_code == 401


async def test_given_sandbox_when_demo_credentials_are_verified_then_the_call_goes_in_process(make_client, clock):
    pytest.importorskip("app.mws.sellers")
    sb = sandbox_mod.Sandbox(clock=clock, wall=clock.time)
    client = await make_client(Settings(), clock=clock, sandbox=sb)
    response = await client.post("/verify-credentials", json={"cfg": dict(sandbox_mod.DEMO)})
    assert response.json() == {"verified": True}
    bad = dict(sandbox_mod.DEMO, marketplaceId="A1PA6795UKMFR9")
    response = await client.post("/verify-credentials", json={"cfg": bad})
    assert response.json()["verified"] is False and "A1PA6795UKMFR9" in response.json()["reason"]


async def test_given_a_routing_transport_when_requests_go_out_then_the_host_picks_the_transport():
    hits: list[str] = []

    def named(name: str) -> httpx.MockTransport:
        return httpx.MockTransport(lambda request: (hits.append(name), httpx.Response(204))[1])

    transport = HostRoutingTransport({"sandbox.local": named("sandbox")}, named("network"))
    async with httpx.AsyncClient(transport=transport) as client:
        await client.get(SANDBOX_BASE + "/Orders/2013-09-01")
        await client.get("https://mws.amazonservices.com/Orders/2013-09-01")
    assert hits == ["sandbox", "network"]
