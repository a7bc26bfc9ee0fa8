"""The client's Signature V2 and the sandbox's verifier, written apart, agree on any parameters.

Each example sends a real request through `MWSClient` (its `httpx.Auth`, its form encoding, over
the in-process transport) to the sandbox, with arbitrary extra parameters: unicode, `+`, `/`,
`=`, `~`, spaces, empty values, names that sort around `MWSAuthToken`. A verifier that disagreed
on one byte of the canonical query would answer 403 SignatureDoesNotMatch.
"""
from __future__ import annotations

import asyncio

import httpx
from hypothesis import HealthCheck, given, settings, strategies as st

from app.clock import VirtualClock
from app.mws.auth import SignatureV2
from app.mws.client import MWSClient
from app.mws.credentials import Credentials
from app.sandbox import DEMO, Sandbox
from app.settings import Settings

LIFTED = {"GetServiceStatus": {"max": 10**9, "restorePerSecond": 10**9},
          "ListMarketplaceParticipations": {"max": 10**9, "restorePerSecond": 10**9}}
RESERVED = {"AWSAccessKeyId", "Action", "SellerId", "MWSAuthToken", "SignatureMethod", "SignatureVersion",
            "Timestamp", "Version", "Signature", "NextToken"}

names = st.text(alphabet=st.sampled_from("AaMmWwZz019._-~+/= é"), min_size=1, max_size=12).filter(
    lambda n: n not in RESERVED)
values = st.one_of(st.just(""), st.text(max_size=30),
                   st.text(alphabet=st.sampled_from("+/=~ %&?#é€😀\t"), max_size=10))


async def _call(extra: dict[str, str], path: str, method: str) -> None:
    clock = VirtualClock(1_790_000_000.0)
    sandbox = Sandbox(clock=clock, quotas=LIFTED, order_every=10**9)
    async with httpx.AsyncClient(transport=sandbox.transport(base_path=path)) as http:
        cfg = dict(DEMO, endpointUrl=f"http://Sandbox.Example:8080{path}")
        credentials = Credentials.from_cfg(cfg)
        client = MWSClient(credentials, http=http, clock=clock, settings=Settings(), mode="sample",
                           auth=SignatureV2(credentials, method=method, now=clock.time))
        await client.call("Sellers.GetServiceStatus", extra)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(extra=st.dictionaries(names, values, max_size=6),
       path=st.sampled_from(["", "/sandbox/mws"]),
       method=st.sampled_from(["HmacSHA256", "HmacSHA1"]))
def test_given_arbitrary_parameters_when_the_client_signs_then_the_sandbox_verifies(extra, path, method):
    # Any AuthError (SignatureDoesNotMatch) would raise out of the call and fail the example.
    asyncio.run(_call(extra, path, method))
