"""Hardening 2: credentials go only to Amazon's https MWS hosts, the mounted sandbox and ENDPOINT_ALLOWLIST.

The pre-run check (`endpoint_problems`) names `cfg.endpointUrl` without echoing it; the client
refuses again before it builds a request (nothing reaches the hostile server); MWS_ENDPOINT is
checked at start-up; redirects are never followed.
"""
from __future__ import annotations

import asyncio

import pytest

from app.mws.endpoints import MWS_HOSTS, endpoint_allowed, endpoint_problems
from app.mws.errors import EndpointNotAllowed, UnexpectedResponse
from app.mws.sellers import verify_credentials
from app.runtime.context import Services
from app.runtime.errors import InputProblem
from app.runtime.http import SANDBOX_BASE, build_client
from app.settings import Settings, SettingsError

from .builders import participations
from .hostile import ALLOW_LOOPBACK, CANARY_CFG, answer, assert_no_canary, mws_client

REFUSED = [
    "http://127.0.0.1:22",                            # a port scan of the service's own host
    "http://169.254.169.254/latest/meta-data",        # cloud metadata
    "http://mws.amazonservices.com",                  # Amazon's host, in clear text
    "https://mws.amazonservices.com:8443",            # Amazon's host, another port
    "https://mws.amazonservices.com@evil.example",    # userinfo: the host is evil.example
    "https://mws.amazonservices.com.evil.example",
    "https://evil.example/#@mws.amazonservices.com",
    "ftp://mws.amazonservices.com",
    "not a url",
    SANDBOX_BASE,                                     # no sandbox mounted
]
ADMITTED = ["https://mws.amazonservices.com", "https://MWS-EU.amazonservices.com/", "https://mws.amazonservices.jp:443",
            "https://mws.amazonservices.com/some/path"]


@pytest.mark.parametrize("url", REFUSED)
def test_given_an_endpoint_outside_amazon_and_the_allowlist_when_checking_cfg_then_a_problem_at_cfg_endpoint_url_not_echoing_it(url):
    problems = endpoint_problems({**CANARY_CFG, "endpointUrl": url}, Settings(), sandbox_mounted=False)
    assert problems == [InputProblem("cfg.endpointUrl", problems[0].message)]
    assert url not in problems[0].message and "evil" not in problems[0].message


@pytest.mark.parametrize("url", ADMITTED + ["", "  ", None])
def test_given_amazons_https_hosts_or_no_endpoint_when_checking_cfg_then_no_problem(url):
    assert endpoint_problems({**CANARY_CFG, "endpointUrl": url}, Settings(), sandbox_mounted=False) == []


def test_given_the_sandbox_when_mounted_then_its_base_is_admitted_and_only_then():
    assert endpoint_allowed(SANDBOX_BASE, Settings(), sandbox_mounted=True, amazon_hosts=MWS_HOSTS)
    assert not endpoint_allowed(SANDBOX_BASE, Settings(), sandbox_mounted=False, amazon_hosts=MWS_HOSTS)
    assert not endpoint_allowed("https://sandbox.local/sandbox/mws", Settings(), sandbox_mounted=True,
                                amazon_hosts=MWS_HOSTS)


@pytest.mark.parametrize("url, admitted", [
    ("http://127.0.0.1:9000", True), ("http://127.0.0.1:1", True), ("https://127.0.0.1:9000", False),
    ("http://127.0.0.2:9000", False), ("https://proxy.example", True), ("https://proxy.example:443/mws", True),
    ("https://proxy.example:444", False), ("http://proxy.example", False), ("http://[::1]:8080/x", True),
])
def test_given_allowlist_prefixes_when_checking_then_scheme_host_and_port_or_star_must_match(url, admitted):
    settings = Settings.from_env({"ENDPOINT_ALLOWLIST": "http://127.0.0.1:*, https://proxy.example, http://[::1]:8080"})
    assert endpoint_allowed(url, settings, sandbox_mounted=False, amazon_hosts=MWS_HOSTS) is admitted


@pytest.mark.parametrize("value", ["127.0.0.1:9000", "ftp://x", "http://", "http://h:99999", "http://h/path",
                                   "http://user:pw@h", "http://h:*:1", "https://h?x=1"])
def test_given_a_malformed_allowlist_when_settings_load_then_settings_error_not_echoing_it(value):
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"ENDPOINT_ALLOWLIST": f"https://ok.example,{value}"})
    assert "ENDPOINT_ALLOWLIST" in str(info.value) and value not in str(info.value)


def test_given_mws_endpoint_outside_amazon_and_the_allowlist_when_settings_load_then_settings_error():
    with pytest.raises(SettingsError, match="MWS_ENDPOINT"):
        Settings.from_env({"MWS_ENDPOINT": "http://10.0.0.1:8080"})
    with pytest.raises(SettingsError, match="MWS_ENDPOINT"):
        Settings.from_env({"MWS_ENDPOINT": "http://mws.amazonservices.com"})
    assert Settings.from_env({"MWS_ENDPOINT": "https://mws-eu.amazonservices.com"}).mws_endpoint
    assert Settings.from_env({"MWS_ENDPOINT": "http://10.0.0.1:8080",
                              "ENDPOINT_ALLOWLIST": "http://10.0.0.1:8080"}).mws_endpoint == "http://10.0.0.1:8080"
    assert Settings.from_env({"MWS_ENDPOINT": SANDBOX_BASE, "SANDBOX": "1"}).mws_endpoint == SANDBOX_BASE


async def test_given_a_non_admitted_endpoint_when_the_client_calls_then_endpoint_not_allowed_and_nothing_reaches_it(
        hostile, logged):
    async def handler(request, writer):
        answer(writer, 200, participations("ATVPDKIKX0DER", seller=CANARY_CFG["sellerId"]))

    server = await hostile(handler)
    client = mws_client(server.url, settings=Settings())  # loopback not allow-listed
    with pytest.raises(EndpointNotAllowed) as info:
        await client.call("ListMarketplaceParticipations", {})
    await asyncio.sleep(0.05)
    assert server.connections == 0 and server.requests == []
    error = info.value.as_error()
    assert error["code"] == "EndpointNotAllowed" and error["requestId"] is None and error["retriable"] is False
    assert "127.0.0.1" not in error["message"]
    assert_no_canary(error, logged())


async def test_given_a_non_admitted_endpoint_when_verifying_credentials_then_not_verified_and_nothing_sent(hostile, logged):
    async def handler(request, writer):
        answer(writer, 200, participations("ATVPDKIKX0DER", seller=CANARY_CFG["sellerId"]))

    server = await hostile(handler)
    async with build_client() as http:
        from app.clock import VirtualClock
        services = Services(settings=Settings(), clock=VirtualClock(), http=http)
        verified, reason = await verify_credentials({**CANARY_CFG, "endpointUrl": server.url}, services)
        # The same server, allow-listed: verified (so the refusal above was the endpoint rule).
        services_allowed = Services(settings=ALLOW_LOOPBACK, clock=VirtualClock(), http=http)
        verified_allowed, _ = await verify_credentials({**CANARY_CFG, "endpointUrl": server.url}, services_allowed)
    assert verified is False and "ENDPOINT_ALLOWLIST" in reason and len(server.requests) == 1
    assert verified_allowed is True
    assert_no_canary(reason, logged())


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_given_a_redirect_to_elsewhere_when_calling_then_it_is_not_followed_and_unexpected_response(
        hostile, logged, status):
    async def elsewhere(request, writer):
        answer(writer, 200, participations("ATVPDKIKX0DER"))

    target = await hostile(elsewhere)

    async def redirect(request, writer):
        answer(writer, status, b"", {"Location": f"{target.url}/steal?x=1", "x-mws-request-id": "rid-redirect"})

    server = await hostile(redirect)
    with pytest.raises(UnexpectedResponse) as info:
        await mws_client(server.url, mode="run").call("ListMarketplaceParticipations", {})
    assert len(server.requests) == 1 and target.connections == 0
    error = info.value.as_error()
    assert error == {"code": "UnexpectedResponse", "message": error["message"], "type": "Receiver",
                     "requestId": None, "retriable": False}
    assert str(status) in error["message"] and "rid-redirect" in error["message"] and "steal" not in error["message"]
    assert_no_canary(error, logged())
