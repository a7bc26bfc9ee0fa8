"""The orders steps' test bench: the real component over an in-process sandbox, on a virtual clock.

    svc = await make_service(step_timeout_ms=..., throttle_retry_delay_ms=...)
    result = await svc.trigger({"maxResultsPerPage": 10}, snapshot={...}, mode="run")
    result = await svc.action("getOrder", {"amazonOrderIds": [...]})
    svc.calls        # every MWS request that reached the sandbox: Call(action, params, at, body, headers)
    svc.sandbox      # Sandbox: .faults.add(...), .state(), .book
    svc.clock        # the VirtualClock that drives the service and the sandbox

Requests go through the step API (httpx.ASGITransport), the service's own httpx client reaches the
sandbox through its in-process transport, wrapped here so tests can count and read what was sent.
"""
from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl

import httpx
import jsonschema
import pytest

from app.clock import VirtualClock
from app.dates import parse_date, to_amazon
from app.main import create_app
from app.sandbox import DEMO, Sandbox
from app.settings import Settings

TRIGGER = "getNewAndUpdatedOrders"
US = "ATVPDKIKX0DER"
QUIET = 10**9  # order_every: the sandbox adds nothing while a test runs


@dataclass
class Call:
    action: str
    params: dict[str, str]
    at: float
    body: bytes = b""                       # the exact bytes sent (SubmitFeed: the feed)
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    path: str = ""                          # SP-API has no Action: its calls are told apart by path


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes every request to `inner` after noting its Action and parameters (the wire truth)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, clock: VirtualClock, calls: list[Call]) -> None:
        self.inner, self.clock, self.calls = inner, clock, calls

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        params = dict(parse_qsl(request.url.query.decode()))
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            params.update(parse_qsl(body.decode()))
        self.calls.append(Call(params.get("Action", "?"), params, self.clock.time(), body, dict(request.headers),
                               request.method, request.url.path))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class OrdersService:
    client: httpx.AsyncClient
    sandbox: Sandbox
    clock: VirtualClock
    calls: list[Call] = field(default_factory=list)
    cfg: dict[str, Any] = field(default_factory=lambda: dict(DEMO))

    async def trigger(self, fields: dict[str, Any] | None = None, snapshot: dict[str, Any] | None = None,
                      mode: str = "run", cfg: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.post_trigger(fields, snapshot, mode, cfg)
        assert response.status_code == 200, response.text
        return response.json()

    async def post_trigger(self, fields=None, snapshot=None, mode="run", cfg=None, **kw) -> httpx.Response:
        body = {"cfg": {**(cfg or self.cfg), **(fields or {})}, "snapshot": snapshot or {}, "mode": mode}
        return await self.client.post(f"/triggers/{TRIGGER}/execute", json=body, **kw)

    async def action(self, key: str, msg_body: dict[str, Any], mode: str = "run",
                     cfg: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.post_action(key, msg_body, mode, cfg)
        assert response.status_code == 200, response.text
        return response.json()

    async def post_action(self, key, msg_body, mode="run", cfg=None) -> httpx.Response:
        body = {"cfg": cfg or self.cfg, "msg": {"body": msg_body, "headers": {}}, "mode": mode}
        return await self.client.post(f"/actions/{key}/execute", json=body)

    async def out_validator(self, kind: str, key: str) -> jsonschema.Draft202012Validator:
        response = await self.client.get(f"/{kind}/{key}/metadata?view=full")
        assert response.status_code == 200, response.text
        return jsonschema.Draft202012Validator(response.json()["out"])

    def actions(self) -> list[str]:
        return [c.action for c in self.calls]

    def orders_truth(self, marketplace: str = US) -> dict[str, str]:
        """amazonOrderId -> lastUpdateDate of every order the sandbox holds now, in `marketplace`."""
        return {o["amazonOrderId"]: o["lastUpdateDate"] for o in self.sandbox.state()["orders"]
                if o["marketplaceId"] == marketplace}


SPAPI_CFG: dict[str, str] = {"lwaClientId": "amzn1.application-oa2-client.sandboxdemo",
                              "lwaClientSecret": "sandbox-client-secret", "refreshToken": "Atzr|sandbox-demo-refresh-token",
                              "sellerId": "A1SANDBOXSELLER", "marketplaceId": US}
SEARCH_PATH = "/sandbox/sp-api/orders/2026-01-01/orders"


@dataclass(frozen=True)
class Backend:
    """What a backend-neutral orders test needs to know of a backend: its demo cfg, how its orders name
    their id and version, which calls read a window's pages, and the faults its sandbox can inject there."""

    name: str
    cfg: dict[str, str]
    id_key: str
    updated_key: str
    page_operations: tuple[str, ...]
    fault_kinds: tuple[str, ...]
    after_param: str

    def use(self, svc: "OrdersService") -> "OrdersService":
        svc.cfg = dict(self.cfg)
        return svc

    def version(self, order: dict[str, Any]) -> tuple[str, datetime]:
        return order[self.id_key], parse_date(order[self.updated_key])

    def amazon_calls(self, svc: "OrdersService") -> list[Call]:
        """Every call to Amazon's API (not LWA's token endpoint)."""
        return [c for c in svc.calls if "/sandbox/lwa/" not in c.path]

    def page_calls(self, svc: "OrdersService") -> list[Call]:
        if self.name == "mws":
            return [c for c in svc.calls if c.action in ("ListOrders", "ListOrdersByNextToken")]
        return [c for c in svc.calls if c.method == "GET" and c.path == SEARCH_PATH]


BACKENDS = {
    "mws": Backend("mws", dict(DEMO), "amazonOrderId", "lastUpdateDate", ("ListOrders", "ListOrdersByNextToken"),
                   ("500", "503", "malformed", "drop", "slow"), "LastUpdatedAfter"),
    "spapi": Backend("spapi", SPAPI_CFG, "orderId", "lastUpdatedTime", ("searchOrders",),
                     ("429", "500", "503", "malformed", "drop", "slow"), "lastUpdatedAfter"),
}


class CountStatus(httpx.AsyncBaseTransport):
    """Counts the answers with `status` coming back from `inner` (503 on MWS, 429 on SP-API)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, status: int = 429) -> None:
        self.inner, self.status, self.count = inner, status, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.count += response.status_code == self.status
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def poll_until_done(svc: "OrdersService", fields: dict[str, Any] | None, snapshot: dict[str, Any] | None,
                          limit: int = 30, interval: float = 0.0) -> list[dict[str, Any]]:
    """Poll again with the returned snapshot (`interval` seconds apart), as the platform does, until the
    window is finished."""
    results = []
    for _ in range(limit):
        svc.clock.advance(interval)
        result = await svc.trigger(fields, snapshot=snapshot)
        results.append(result)
        snapshot = result["snapshot"]
        if result["outcome"] != "rebound":
            return results
    raise AssertionError("the window never finished")


def iso(epoch: float) -> str:
    """An epoch time (the virtual clock's) in Amazon's UTC Z form."""
    return to_amazon(datetime.fromtimestamp(epoch, tz=timezone.utc))


def in_window(svc: OrdersService, start: str, before: str) -> dict[str, str]:
    """The sandbox's orders (id -> lastUpdateDate) with start <= LastUpdateDate < before, as of now."""
    lo, hi = parse_date(start), parse_date(before)
    return {i: d for i, d in svc.orders_truth().items() if lo <= parse_date(d) < hi}


def data_bodies(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["body"] for e in result["events"] if e["type"] == "data"]


def errors(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["error"] for e in result["events"] if e["type"] == "error"]


def emitted_orders(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The orders a trigger result carries, whatever its emit behaviour."""
    out: list[dict[str, Any]] = []
    for body in data_bodies(result):
        out.extend(body["orders"] if "orders" in body and "amazonOrderId" not in body else [body])
    return out


@pytest.fixture(params=sorted(BACKENDS))
def backend(request) -> Backend:
    """Each backend-neutral orders test runs once per backend."""
    return BACKENDS[request.param]


@pytest.fixture
async def make_service():
    """make_service(order_every=60.0, seed=1, clock=None, wrap=None, sandbox_xsd_dir=None, **settings)
    -> OrdersService, torn down after the test."""
    async with AsyncExitStack() as stack:

        async def make(order_every: float = 60.0, seed: int = 1, clock: VirtualClock | None = None,
                       wrap: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] | None = None,
                       sandbox_xsd_dir: Path | None = None, **settings: Any) -> OrdersService:
            # wrap: put a transport between the recorder and the sandbox (e.g. to corrupt an answer).
            clock = clock or VirtualClock()
            # One clock for both sides: the client signs with it and the sandbox checks Timestamps against it.
            sandbox = Sandbox(clock=clock, seed=seed, order_every=order_every, xsd_dir=sandbox_xsd_dir)
            calls: list[Call] = []
            plain = sandbox.transport
            inner = wrap or (lambda transport: transport)
            sandbox.transport = lambda base_path="": RecordingTransport(inner(plain(base_path)), clock, calls)
            app = create_app(Settings(**settings), clock=clock, sandbox=sandbox,
                             transport=httpx.MockTransport(lambda r: httpx.Response(599)))
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service"))
            return OrdersService(client, sandbox, clock, calls)

        yield make
