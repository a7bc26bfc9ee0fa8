"""An app over the fixture component (tests/runtime/fixtures), driven in-process through ASGITransport."""
from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest

from app.clock import VirtualClock
from app.main import create_app
from app.settings import Settings

from api_helpers import FIXTURE, offline


@pytest.fixture
async def make_client():
    """make_client(settings=None, transport=None, **create_app kwargs) -> httpx.AsyncClient (`.app` set)."""
    async with AsyncExitStack() as stack:

        async def make(settings: Settings | None = None, transport: httpx.AsyncBaseTransport | None = None, **kw: Any):
            app = create_app(
                settings or Settings(), component_path=kw.pop("component_path", FIXTURE),
                clock=kw.pop("clock", VirtualClock()), transport=transport or httpx.MockTransport(offline), **kw,
            )
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")
            await stack.enter_async_context(client)
            client.app = app  # type: ignore[attr-defined]
            return client

        yield make


@pytest.fixture
async def client(make_client) -> httpx.AsyncClient:
    return await make_client()
