"""Orders throughput under the real ListOrders quota: one simulated hour on a VirtualClock, in-process.

Quota (mws-api.md §3.1): ListOrders/ListOrdersByNextToken share a bucket of 6, restoring 1 a minute,
so the most one seller can read in the first hour is (6 + 60) pages × 100 orders = 6,600 orders.

Strategies, each on a fresh sandbox (same synthetic orders) and a fresh VirtualClock:
  paced        the trigger getNewAndUpdatedOrders polled through the service (create_app) with
               MWS_PACING=on; each poll runs until STEP_TIMEOUT (600 s) and rebounds; the next poll
               resumes from the returned snapshot, until 3600 virtual seconds have passed.
  retry-503    the same trigger with MWS_PACING=off, THROTTLE_RETRY_DELAY=30000 (the product's own
               503 handling in run mode).
  naive-30s    the client alone, pacing off, sample mode (a 503 raises at once) and the bench
               retrying every 30 s exactly: the literal "retry every 30 s after a 503".
Pages and orders count 200 answers of ListOrders/ListOrdersByNextToken sent at virtual time
<= start + 3600; 503s are the sandbox's 503 answers, counted on the wire.

On SP-API (sp-api.md §4) the same hour at searchOrders' real usage plan, burst 20 then 0.0056/s, so
(20 + 20.16) pages × 100 orders; `spapi-paced` and `spapi-retry-429` (pacing off, retry after ≥ 30 s),
429s counted on the wire. Goal on both: ≥ 98 % of the limit with no throttled answer.

    python bench/orders_throughput.py
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from typing import Any
from urllib.parse import parse_qsl

import httpx

from _common import add_synthetic_orders, table, write_json

from app.clock import VirtualClock
from app.main import create_app
from app.sandbox import DEMO, Sandbox
from app.settings import Settings

HOUR = 3600.0
PAGE = 100
LIMIT_PAGES = 6 + 60
ORDERS = 10_000          # 100 pages: more than an hour can read
TRIGGER = "/triggers/getNewAndUpdatedOrders/execute"
ENDPOINT = "http://sandbox.bench"  # the counting transport routes every host to the in-process sandbox


class Wire(httpx.AsyncBaseTransport):
    """Wraps the sandbox transport and records (virtual time, Action, status, orders) of each answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport, clock: VirtualClock) -> None:
        self.inner, self.clock, self.log = inner, clock, []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sent = self.clock.time()
        body = request.content if request.method == "POST" else b""
        action = dict(parse_qsl(body.decode("ascii", "replace"))).get("Action", "?")
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        self.log.append((sent, action, response.status_code, content.count(b"<Order>")))
        return httpx.Response(response.status_code, headers=response.headers, content=content,
                              request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def fresh(clock: VirtualClock) -> Sandbox:
    # One VirtualClock for both sides: quotas, pacing and request Timestamps all read it.
    sb = Sandbox(clock=clock, seed=1)
    add_synthetic_orders(sb, ORDERS)
    return sb


def summarize(name: str, wire: Wire, t0: float, orders: int, polls: int, wall_s: float) -> dict[str, Any]:
    # Only what was sent within the hour counts; `orders` (emitted) may include a poll finishing after it.
    in_hour = [entry for entry in wire.log if entry[0] - t0 <= HOUR + 1e-6 and entry[1].startswith("ListOrders")]
    pages = sum(1 for _, _, s, _ in in_hour if s == 200)
    orders = sum(n for _, _, s, n in in_hour if s == 200)
    throttled = sum(1 for _, _, s, _ in in_hour if s == 503)
    other = sum(1 for _, _, s, _ in in_hour if s not in (200, 503))
    return {"strategy": name, "pages": pages, "orders": orders, "limitPages": LIMIT_PAGES,
            "limitOrders": LIMIT_PAGES * PAGE, "pagesShare": pages / LIMIT_PAGES,
            "ordersShare": orders / (LIMIT_PAGES * PAGE), "throttled503": throttled, "otherErrors": other,
            "requests": len(in_hour), "polls": polls, "wallSeconds": round(wall_s, 2)}


async def trigger_hour(name: str, settings: Settings) -> dict[str, Any]:
    clock = VirtualClock(start=time.time())
    sb = fresh(clock)
    wire = Wire(sb.transport(), clock)
    # The bench's own host name for the sandbox: admitted as a hosted service admits a proxy.
    app = create_app(dataclasses.replace(settings, endpoint_allowlist=(ENDPOINT,)), clock=clock, transport=wire)
    cfg = {**DEMO, "endpointUrl": ENDPOINT, "emitBehavior": "emitIndividually", "maxResultsPerPage": PAGE}
    t0, started = clock.time(), time.perf_counter()
    orders, polls = await poll_for_an_hour(name, app, clock, cfg)
    return summarize(name, wire, t0, orders, polls, time.perf_counter() - started)


async def poll_for_an_hour(name: str, app: Any, clock: VirtualClock, cfg: dict[str, Any]) -> tuple[int, int]:
    """The trigger through the service, each poll carrying the last snapshot, until an hour has passed:
    (orders emitted, polls)."""
    t0, orders, polls, snapshot = clock.time(), 0, 0, {}
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service",
                                     timeout=60) as service:
            while clock.time() - t0 < HOUR:
                polls += 1
                answer = (await service.post(TRIGGER, json={"cfg": cfg, "snapshot": snapshot, "mode": "run"})).json()
                orders += sum(1 for e in answer["events"] if e["type"] == "data")
                snapshot = answer["snapshot"]
                if answer["outcome"] == "error":
                    raise RuntimeError(f"{name}: poll {polls} failed: {answer['events'][-1]}")
                if answer["outcome"] == "ok":  # the window ended: the hour ran out of orders
                    raise RuntimeError(f"{name}: the sandbox ran out of orders; raise ORDERS")
    return orders, polls


async def naive_hour(retry_s: float = 30.0) -> dict[str, Any]:
    from app.mws.client import MWSClient
    from app.mws.credentials import Credentials
    from app.mws.errors import Throttled

    clock = VirtualClock(start=time.time())
    sb = fresh(clock)
    wire = Wire(sb.transport(), clock)
    settings = Settings(mws_pacing=False, throttle_retry_delay_ms=int(retry_s * 1000), endpoint_allowlist=(ENDPOINT,))
    t0, started, orders = clock.time(), time.perf_counter(), 0
    async with httpx.AsyncClient(transport=wire) as http:
        client = MWSClient(Credentials.from_cfg({**DEMO, "endpointUrl": ENDPOINT}), http=http, clock=clock,
                           settings=settings, mode="sample")
        op, params = "ListOrders", {"MarketplaceId.Id.1": DEMO["marketplaceId"],
                                    "LastUpdatedAfter": "1970-01-01T00:00:00Z", "MaxResultsPerPage": str(PAGE)}
        while clock.time() - t0 <= HOUR:
            try:
                result = await client.call(op, params)
            except Throttled:
                await clock.sleep(retry_s)
                continue
            orders += len(result.data.get("orders") or [])
            op, params = "ListOrdersByNextToken", {"NextToken": result.next_token}
    return summarize(f"naive-{retry_s:g}s", wire, t0, orders, 0, time.perf_counter() - started)


SPAPI_CFG = {"lwaClientId": "amzn1.application-oa2-client.sandboxdemo", "lwaClientSecret": "sandbox-client-secret",
             "refreshToken": "Atzr|sandbox-demo-refresh-token", "sellerId": "A1SANDBOXSELLER",
             "marketplaceId": "ATVPDKIKX0DER"}
SEARCH = "/sandbox/sp-api/orders/2026-01-01/orders"
SPAPI_LIMIT_PAGES = 20 + 0.0056 * HOUR


class SpapiWire(httpx.AsyncBaseTransport):
    """Records (virtual time, status, orders) of each searchOrders answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport, clock: VirtualClock) -> None:
        self.inner, self.clock, self.log = inner, clock, []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sent = self.clock.time()
        response = await self.inner.handle_async_request(request)
        if request.method != "GET" or request.url.path != SEARCH:
            return response
        content = await response.aread()
        orders = len((json.loads(content) or {}).get("orders") or []) if response.status_code == 200 else 0
        self.log.append((sent, response.status_code, orders))
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)


async def spapi_trigger_hour(name: str, settings: Settings) -> dict[str, Any]:
    clock = VirtualClock(start=time.time())
    sb = fresh(clock)
    plain, wires = sb.transport, []

    def wired(base_path: str = "") -> httpx.AsyncBaseTransport:
        wires.append(SpapiWire(plain(base_path), clock))
        return wires[-1]

    sb.transport = wired
    app = create_app(settings, clock=clock, sandbox=sb, transport=httpx.MockTransport(lambda r: httpx.Response(599)))
    cfg = {**SPAPI_CFG, "emitBehavior": "emitIndividually", "maxResultsPerPage": PAGE}
    t0, started = clock.time(), time.perf_counter()
    _, polls = await poll_for_an_hour(name, app, clock, cfg)
    log = [entry for wire in wires for entry in wire.log if entry[0] - t0 <= HOUR + 1e-6]
    pages = sum(1 for _, status, _ in log if status == 200)
    return {"strategy": name, "pages": pages, "orders": sum(n for _, _, n in log),
            "limitPages": round(SPAPI_LIMIT_PAGES, 2), "pagesShare": pages / SPAPI_LIMIT_PAGES,
            "ordersShare": pages / SPAPI_LIMIT_PAGES, "throttled429": sum(1 for _, s, _ in log if s == 429),
            "otherErrors": sum(1 for _, s, _ in log if s not in (200, 429)), "requests": len(log), "polls": polls,
            "wallSeconds": round(time.perf_counter() - started, 2)}


async def main() -> None:
    runs = [
        await trigger_hour("paced", Settings(mws_pacing=True, log_level="WARNING")),
        await trigger_hour("retry-503", Settings(mws_pacing=False, throttle_retry_delay_ms=30_000, log_level="WARNING")),
        await naive_hour(30.0),
    ]
    print(f"ListOrders over one virtual hour, quota 6 burst + 1/min = {LIMIT_PAGES} pages / "
          f"{LIMIT_PAGES * PAGE} orders\n")
    print(table(["strategy", "pages", "orders", "share", "503s", "other errors", "polls", "wall s"],
                [[r["strategy"], r["pages"], r["orders"], f"{r['ordersShare']:.1%}", r["throttled503"],
                  r["otherErrors"], r["polls"], r["wallSeconds"]] for r in runs]))
    paced = runs[0]
    met = paced["ordersShare"] >= 0.98 and paced["throttled503"] == 0
    print(f"\ngoal (paced >= 98 % of the limit, 0 x 503): {'MET' if met else 'MISSED'}")
    spapi = [
        await spapi_trigger_hour("spapi-paced", Settings(mws_pacing=True, log_level="WARNING")),
        await spapi_trigger_hour("spapi-retry-429", Settings(mws_pacing=False, throttle_retry_delay_ms=30_000,
                                                             log_level="WARNING")),
    ]
    print(f"\nSP-API searchOrders over one virtual hour, usage plan 20 burst + 0.0056/s = {SPAPI_LIMIT_PAGES:.2f} pages\n")
    print(table(["strategy", "pages", "orders", "share", "429s", "other errors", "polls", "wall s"],
                [[r["strategy"], r["pages"], r["orders"], f"{r['pagesShare']:.1%}", r["throttled429"],
                  r["otherErrors"], r["polls"], r["wallSeconds"]] for r in spapi]))
    spapi_met = spapi[0]["pagesShare"] >= 0.98 and spapi[0]["throttled429"] == 0
    print(f"\ngoal on SP-API (paced >= 98 % of the limit, 0 x 429): {'MET' if spapi_met else 'MISSED'}")
    path = write_json("orders_throughput", {"goal": {"share": 0.98, "throttled503": 0, "met": met},
                                            "runs": runs, "spapi": {"met": spapi_met, "runs": spapi}})
    print(f"written {path}")


if __name__ == "__main__":
    asyncio.run(main())
