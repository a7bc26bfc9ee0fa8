"""The feed actions' test bench: the orders bench (tests/orders_helpers.py) with the XSDs switched on,
plus what feed tests read: the SubmitFeed requests sent, the processing report emitted, the sandbox's
catalog and a way to corrupt GetFeedSubmissionResult answers on their way back.

    svc = await make_feed_service(response_check_delay_ms=..., step_timeout_ms=..., wrap=CorruptResult...)
    result = await execute(svc, "updateItem", {"messages": [...]}, snapshot={...}, mode="run")
    submits(svc)            # the SubmitFeed requests (Call: params, body, headers)
    report(result)          # the one data event's processingReport
    catalog(svc)["SKU"]     # the sandbox's catalog entry, as GET /sandbox/admin/state shows it
"""
from __future__ import annotations

from typing import Any

import httpx
import pytest

from orders_helpers import Call, OrdersService, data_bodies, errors, make_service  # noqa: F401  (re-exported)
from tests.conftest import SHARED, require_shared

FEED_RESULT_KEYS = {"feedSubmissionId", "feedType", "feedProcessingStatus", "processingReport"}
QUIET = 10**9  # order_every: no new orders while a test runs


XSD_DIR = SHARED / "amazon-reference" / "xsd"


@pytest.fixture
def xsd_dir():
    """Amazon's XSDs from ../shared; a test that needs them fails under CI=true when they are missing."""
    return require_shared(XSD_DIR / "amzn-envelope.xsd").parent


@pytest.fixture
async def make_feed_service(make_service):
    """make_feed_service(**settings) -> OrdersService with MWS_XSD_DIR set (when ../shared has the XSDs)
    and a quiet order generator."""

    async def make(**settings: Any) -> OrdersService:
        settings.setdefault("order_every", QUIET)
        settings.setdefault("mws_xsd_dir", XSD_DIR if (XSD_DIR / "amzn-envelope.xsd").exists() else None)
        return await make_service(**settings)

    return make


def calls_of(svc: OrdersService, action: str) -> list[Call]:
    return [c for c in svc.calls if c.action == action]


def submits(svc: OrdersService) -> list[Call]:
    return calls_of(svc, "SubmitFeed")


def only_data(result: dict[str, Any]) -> dict[str, Any]:
    (body,) = data_bodies(result)
    return body


def report(result: dict[str, Any]) -> dict[str, Any]:
    return only_data(result)["processingReport"]


def catalog(svc: OrdersService) -> dict[str, dict[str, Any]]:
    return {item["sku"]: item for item in svc.sandbox.state()["catalog"]}


def skus(svc: OrdersService, count: int) -> list[str]:
    return sorted(catalog(svc))[:count]


def snapshots(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["body"] for e in result["events"] if e["type"] == "snapshot"]


class Counting503s(httpx.AsyncBaseTransport):
    """Counts the 503 answers coming back from `inner`."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.count = inner, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if response.status_code == 503:
            self.count += 1
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class CorruptResult(httpx.AsyncBaseTransport):
    """Flips the Content-MD5 header of the next `times` GetFeedSubmissionResult answers."""

    def __init__(self, inner: httpx.AsyncBaseTransport, times: int) -> None:
        self.inner, self.left, self.corrupted = inner, times, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        form = (await request.aread()).decode(errors="replace")   # the client sends it as a form
        wanted = httpx.QueryParams(form).get("Action") == "GetFeedSubmissionResult"
        if not wanted or response.status_code != 200 or self.left <= 0:
            return response
        self.left -= 1
        self.corrupted += 1
        body = await response.aread()
        headers = dict(response.headers)
        headers["content-md5"] = "AAAAAAAAAAAAAAAAAAAAAA=="
        headers.pop("content-length", None)
        return httpx.Response(response.status_code, headers=headers, content=body)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def execute(svc: OrdersService, key: str, msg_body: dict[str, Any], *, snapshot: dict[str, Any] | None = None,
                  mode: str = "run") -> dict[str, Any]:
    """POST /actions/{key}/execute with a snapshot (the orders bench's svc.action sends none)."""
    body = {"cfg": svc.cfg, "msg": {"body": msg_body, "headers": {}}, "snapshot": snapshot or {}, "mode": mode}
    response = await svc.client.post(f"/actions/{key}/execute", json=body)
    assert response.status_code == 200, response.text
    return response.json()
