"""The service's outbound HTTP: one httpx.AsyncClient, and a transport that routes by host.

With the sandbox mounted, the default endpoint is a fixed in-process base URL (`SANDBOX_BASE`);
`HostRoutingTransport` sends requests for that host to the sandbox's in-process transport and
everything else to the network, so steps use one client and never know the difference.
"""
from __future__ import annotations

import httpx

SANDBOX_HOST = "sandbox.local"
SANDBOX_PATH = "/sandbox/mws"
SANDBOX_BASE = f"http://{SANDBOX_HOST}{SANDBOX_PATH}"
HTTP_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


class HostRoutingTransport(httpx.AsyncBaseTransport):
    def __init__(self, routes: dict[str, httpx.AsyncBaseTransport], default: httpx.AsyncBaseTransport) -> None:
        self.routes = {host.lower(): transport for host, transport in routes.items()}
        self.default = default

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = self.routes.get(request.url.host.lower(), self.default)
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        for transport in {id(t): t for t in [*self.routes.values(), self.default]}.values():
            await transport.aclose()


def build_client(transport: httpx.AsyncBaseTransport | None = None, sandbox_transport=None,
                 timeout: float | None = None) -> httpx.AsyncClient:
    """The service's client: `transport` when injected (tests), else the network, with the sandbox's
    host routed in-process when a sandbox transport is given. `timeout` (MWS_HTTP_TIMEOUT seconds)
    replaces the default 60 s; connecting never waits longer than 10 s."""
    base = transport if transport is not None else httpx.AsyncHTTPTransport()
    if sandbox_transport is not None:
        base = HostRoutingTransport({SANDBOX_HOST: sandbox_transport}, base)
    limit = HTTP_TIMEOUT if timeout is None else httpx.Timeout(timeout, connect=min(10.0, timeout))
    return httpx.AsyncClient(transport=base, timeout=limit, follow_redirects=False)
