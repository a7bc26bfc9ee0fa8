"""The per-app runtime: settings, component, component hooks, clock, the one HTTP client, the executor.

`Runtime.start()` (the app's lifespan) builds `Services` with an httpx.AsyncClient; `close()` closes
it. A request that arrives without a lifespan having run (a server started with `--lifespan off`)
starts it on first use.
"""
from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.clock import Clock, SystemClock
from app.pacing.pacer import close_quota_store, prepare_quota_store
from app.runtime.component import Component
from app.runtime.context import Services
from app.runtime.executor import Executor
from app.runtime.http import SANDBOX_BASE, SANDBOX_HOST, SANDBOX_PATH, build_client
from app.runtime.protocol import ComponentHooks, NoComponentHooks
from app.settings import Settings


class Runtime:
    def __init__(
        self,
        settings: Settings,
        component: Component,
        *,
        clock: Clock | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sandbox: Any = None,
        queue_size: int = 64,
        hooks: ComponentHooks | None = None,
    ) -> None:
        self.settings = settings
        self.component = component
        self.hooks: ComponentHooks = hooks or NoComponentHooks()
        self.clock: Clock = clock or SystemClock()
        self.transport = transport
        self.sandbox = sandbox
        self.queue_size = queue_size
        self._services: Services | None = None
        self._executor: Executor | None = None
        self._lock = asyncio.Lock()

    @property
    def sandbox_mounted(self) -> bool:
        return self.sandbox is not None

    @property
    def default_endpoint(self) -> str | None:
        """MWS_ENDPOINT wins over the mounted sandbox; a cfg endpointUrl wins over both (in app.mws)."""
        if self.settings.mws_endpoint:
            return self.settings.mws_endpoint
        return SANDBOX_BASE if self.sandbox is not None else None

    async def start(self) -> Services:
        async with self._lock:
            if self._services is None:
                sandbox_transport = _sandbox_transport(self.sandbox) if self.sandbox is not None else None
                http = build_client(self.transport, sandbox_transport, self.settings.mws_http_timeout)
                self._services = Services(
                    settings=self.settings, clock=self.clock, http=http, default_endpoint=self.default_endpoint,
                    sandbox_origin=f"http://{SANDBOX_HOST}" if self.sandbox is not None else None
                )
                self._executor = Executor(self._services, queue_size=self.queue_size)
                await prepare_quota_store(self._services)
            return self._services

    async def close(self) -> None:
        services, self._services, self._executor = self._services, None, None
        if services is not None:
            await services.http.aclose()
            await close_quota_store(services)

    async def services(self) -> Services:
        return self._services or await self.start()

    async def executor(self) -> Executor:
        if self._executor is None:
            await self.start()
        assert self._executor is not None
        return self._executor


def _sandbox_transport(sandbox: Any) -> httpx.AsyncBaseTransport:
    """The sandbox's in-process transport for requests under SANDBOX_BASE (served as if mounted there)."""
    try:
        return sandbox.transport(base_path=SANDBOX_PATH)
    except TypeError:  # a sandbox whose transport() takes no base path
        return sandbox.transport()
