"""The service's outbound HTTP: one httpx.AsyncClient, a pool per host, and a transport that routes by host.

With the sandbox mounted, the default endpoint is a fixed in-process base URL (`SANDBOX_BASE`);
`HostRoutingTransport` sends requests for that host to the sandbox's in-process transport and
everything else to the network, so steps use one client and never know the difference.

The network is `PerOriginTransport`: one connection pool per (scheme, host, port), each with its own
limits, and a bounded number of pools. A host that never answers fills its own pool, never the
others', so one slow or hostile endpoint cannot starve every other tenant into PoolTimeouts.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import AsyncIterator

import httpx

SANDBOX_HOST = "sandbox.local"
SANDBOX_PATH = "/sandbox/mws"
SANDBOX_BASE = f"http://{SANDBOX_HOST}{SANDBOX_PATH}"
HTTP_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
PER_ORIGIN_LIMITS = httpx.Limits(max_connections=50, max_keepalive_connections=10)
MAX_POOLS = 32  # Amazon's MWS hosts are 9; the rest are ENDPOINT_ALLOWLIST origins


class HostRoutingTransport(httpx.AsyncBaseTransport):
    def __init__(self, routes: dict[str, httpx.AsyncBaseTransport], default: httpx.AsyncBaseTransport) -> None:
        self.routes = {host.lower(): transport for host, transport in routes.items()}
        self.default = default

    def transport_for(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        return self.routes.get(url.host.lower(), self.default)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.transport_for(request.url).handle_async_request(request)

    async def aclose(self) -> None:
        for transport in {id(t): t for t in [*self.routes.values(), self.default]}.values():
            await transport.aclose()


class _Pool:
    def __init__(self, limits: httpx.Limits) -> None:
        self.transport = httpx.AsyncHTTPTransport(limits=limits)
        self.in_use = 0  # requests whose answer is not closed yet


class _Releasing(httpx.AsyncByteStream):
    """An answer's body that gives its pool back when closed (a pool in use is never evicted)."""

    def __init__(self, stream: httpx.AsyncByteStream, pool: _Pool) -> None:
        self.stream, self.pool, self.released = stream, pool, False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self.stream.aclose()
        finally:
            if not self.released:
                self.released = True
                self.pool.in_use -= 1


class PerOriginTransport(httpx.AsyncBaseTransport):
    """The network: one pool per (scheme, host, port) with `limits`, at most `max_pools` of them (the
    least recently used idle pool is closed to make room; when every pool is busy, a new host's
    request fails to connect rather than wait)."""

    def __init__(self, *, limits: httpx.Limits = PER_ORIGIN_LIMITS, max_pools: int = MAX_POOLS) -> None:
        self.limits, self.max_pools = limits, max_pools
        self._pools: OrderedDict[tuple[str, str, int | None], _Pool] = OrderedDict()

    async def _pool(self, url: httpx.URL) -> _Pool:
        key = (url.scheme, url.host.lower(), url.port)
        pool = self._pools.get(key)
        if pool is not None:
            self._pools.move_to_end(key)
            return pool
        while len(self._pools) >= self.max_pools:
            idle = next((k for k, p in self._pools.items() if p.in_use == 0), None)
            if idle is None:
                raise httpx.ConnectError("every connection pool is in use; no pool for another host")
            await self._pools.pop(idle).transport.aclose()
        pool = self._pools[key] = _Pool(self.limits)
        return pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            pool = await self._pool(request.url)
        except httpx.ConnectError as exc:
            exc.request = request
            raise
        pool.in_use += 1
        try:
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.in_use -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Releasing(response.stream, pool)
        return response

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.transport.aclose()

    @property
    def pools(self) -> int:
        return len(self._pools)


def reaches_network(http: httpx.AsyncClient, url: httpx.URL | str) -> bool:
    """Would a request to `url` through `http` open a socket? True for httpx's own network transport
    and `PerOriginTransport` (as HostRoutingTransport's default too); False for the mounted sandbox's
    host and for a transport injected in place of the network (tests, an embedding application)."""
    url = httpx.URL(url)
    transport = http._transport_for_url(url)  # httpx has no public accessor; mounts are honoured
    if isinstance(transport, HostRoutingTransport):
        transport = transport.transport_for(url)
    return isinstance(transport, (httpx.AsyncHTTPTransport, PerOriginTransport))


def build_client(transport: httpx.AsyncBaseTransport | None = None, sandbox_transport=None,
                 timeout: float | None = None) -> httpx.AsyncClient:
    """The service's client: `transport` when injected (tests), else the network (a pool per host),
    with the sandbox's host routed in-process when a sandbox transport is given. `timeout`
    (MWS_HTTP_TIMEOUT seconds) replaces the default 60 s; connecting never waits longer than 10 s.
    Redirects are never followed: credentials go only where the endpoint check let them."""
    base = transport if transport is not None else PerOriginTransport()
    if sandbox_transport is not None:
        base = HostRoutingTransport({SANDBOX_HOST: sandbox_transport}, base)
    limit = HTTP_TIMEOUT if timeout is None else httpx.Timeout(timeout, connect=min(10.0, timeout))
    return httpx.AsyncClient(transport=base, timeout=limit, follow_redirects=False)
