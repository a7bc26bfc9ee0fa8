"""SP-API sandbox fixtures: an httpx client over the sandbox's in-process transport (the host the
service uses, sandbox.local) and a caller that gets LWA tokens and calls SP-API like a correct client."""
from __future__ import annotations

import httpx
import pytest

from .helpers import SpCaller


@pytest.fixture
async def web(sandbox):
    async with httpx.AsyncClient(transport=sandbox.transport(base_path="/sandbox/mws"),
                                 base_url="http://sandbox.local") as client:
        yield client


@pytest.fixture
def sp(web, sandbox, clock) -> SpCaller:
    return SpCaller(web, sandbox, clock)
