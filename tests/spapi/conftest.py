"""tests/spapi: the component's steps on SP-API credentials, against the in-process SP-API sandbox."""
from __future__ import annotations

import pytest
from orders_helpers import make_service  # noqa: F401  (the fixture)
from spapi_helpers import SPAPI


@pytest.fixture
async def make_spapi(make_service):  # noqa: F811
    """make_spapi(**make_service options) -> the orders bench with the SP-API demo credentials as its cfg."""

    async def make(**options):
        svc = await make_service(**options)
        svc.cfg = dict(SPAPI)
        return svc

    return make
