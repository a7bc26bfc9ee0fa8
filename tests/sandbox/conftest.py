"""Sandbox fixtures: a sandbox on a VirtualClock (its wall clock too), an httpx client over its
in-process transport, and a signing caller with the demo credentials."""
from __future__ import annotations

import httpx
import pytest

from app.sandbox import Sandbox

from .helpers import Caller


@pytest.fixture
def sandbox(clock) -> Sandbox:
    return Sandbox(clock=clock, wall=clock.time)


@pytest.fixture
async def http(sandbox):
    async with httpx.AsyncClient(transport=sandbox.transport()) as client:
        yield client


@pytest.fixture
def mws(http, clock) -> Caller:
    return Caller(http, clock)


@pytest.fixture
def xsd_dir():
    """Amazon's XSDs from ../shared (never copied); CI fails rather than skips without them."""
    from tests.conftest import SHARED, require_shared

    return require_shared(SHARED / "amazon-reference" / "xsd")
