"""The in-process httpx transport: the sandbox without sockets, for tests and `--sandbox` runs.

Requests whose path starts with `base_path` reach the MWS app with `root_path=base_path` (so the
signature covers the full path the client used); /sandbox/admin/... reaches the admin app, and
/sandbox/sp-api/..., /sandbox/lwa/... and /sandbox/documents/... the SP-API sandbox's apps. The
"drop" and "slow" faults become the errors a real network would give: httpx.RemoteProtocolError and
httpx.ReadTimeout (httpx.ASGITransport itself ignores timeouts).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from .mws.app import IN_PROCESS, DroppedConnection, SlowAnswer

if TYPE_CHECKING:
    from .core import Sandbox

ADMIN_PREFIX = "/sandbox/admin"


class SandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, sandbox: "Sandbox", base_path: str = "") -> None:
        self.sandbox = sandbox
        self.base_path = base_path.rstrip("/")
        self._asgi = httpx.ASGITransport(app=self._dispatch)

    async def _dispatch(self, scope, receive, send) -> None:
        path = scope.get("path", "/")
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            scope = {**scope, "root_path": ADMIN_PREFIX}   # path stays full, as uvicorn and Starlette mounts do
            await self.sandbox.admin_app(scope, receive, send)
            return
        routed = self.sandbox.spapi.route(path)
        if routed is not None:
            await routed[1]({**scope, "root_path": routed[0], IN_PROCESS: True}, receive, send)
            return
        scope = {**scope, "root_path": self.base_path, IN_PROCESS: True}
        await self.sandbox.mws_app(scope, receive, send)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._asgi.handle_async_request(request)
        except DroppedConnection:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body (sandbox fault)",
                request=request) from None
        except SlowAnswer:
            raise httpx.ReadTimeout("timed out waiting for the sandbox's answer (sandbox fault)",
                                    request=request) from None

    async def aclose(self) -> None:
        await self._asgi.aclose()
