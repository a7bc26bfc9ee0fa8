"""The service's outbound HTTP: a pool per (scheme, host, port), a bounded number of them, the
sandbox routed in-process, and which requests would reach the network at all."""
from __future__ import annotations

import httpx
import pytest

from app.runtime.http import SANDBOX_BASE, HostRoutingTransport, PerOriginTransport, build_client, reaches_network


async def test_given_more_hosts_than_pools_when_the_oldest_is_idle_then_it_is_closed_to_make_room():
    transport = PerOriginTransport(max_pools=2)
    for url in ("http://127.0.0.1:1/", "http://127.0.0.1:2/", "http://127.0.0.1:3/"):
        await transport._pool(httpx.URL(url))
    assert transport.pools == 2
    assert list(transport._pools) == [("http", "127.0.0.1", 2), ("http", "127.0.0.1", 3)]
    await transport.aclose()


async def test_given_every_pool_busy_when_a_new_host_comes_then_it_fails_to_connect_instead_of_waiting():
    transport = PerOriginTransport(max_pools=1)
    busy = await transport._pool(httpx.URL("http://127.0.0.1:1/"))
    busy.in_use = 1
    with pytest.raises(httpx.ConnectError):
        await transport.handle_async_request(httpx.Request("GET", "http://127.0.0.1:2/"))
    assert transport.pools == 1
    await transport.aclose()


async def test_given_the_service_client_then_only_the_sandbox_host_stays_in_process_and_redirects_are_not_followed():
    sandbox = httpx.MockTransport(lambda request: httpx.Response(200))
    async with build_client(sandbox_transport=sandbox) as http:
        assert http.follow_redirects is False
        assert not reaches_network(http, SANDBOX_BASE + "/Orders/2013-09-01")
        assert reaches_network(http, "https://mws.amazonservices.com/Orders/2013-09-01")
        assert reaches_network(http, "http://127.0.0.1:9/")
    async with build_client() as http:
        assert reaches_network(http, SANDBOX_BASE)  # not mounted: it would be a DNS lookup and a socket
        assert isinstance(http._transport, PerOriginTransport)
    async with httpx.AsyncClient(transport=HostRoutingTransport({}, httpx.MockTransport(lambda r: None))) as http:
        assert not reaches_network(http, "http://anything.example")  # an injected transport is not the network
