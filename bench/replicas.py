"""Replicas sharing one seller's quota (issue 16): N service processes and one sandbox server with
Amazon's SP-API usage plans scaled by --time-scale, every replica polling the orders trigger and
looking up orders with getOrder for the same seller for --seconds. Counted from each replica's
/metrics: SP-API answers by operation and outcome (429 = QuotaExceeded), and the orders fetched.

Configurations, one run: 1 replica (the baseline), 4 replicas with QUOTA_STORE=memory (each paces
alone), 4 replicas with QUOTA_STORE=redis://... (one Redis, started here from Debian's redis-server).
Goal: 0 throttled answers with Redis, and their total ≥ 95 % of what one replica reaches alone.

    python bench/replicas.py [--seconds 60] [--replicas 4] [--time-scale 10]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import tempfile
import time
from typing import Any

import httpx

from _bench_sandbox import free_port, start_sandbox, start_service, stop, wait_http  # noqa: F401
from _common import table, write_json

from app.sandbox.spapi import LWA_DEMO

CFG = {**LWA_DEMO, "sellerId": "A1SANDBOXSELLER", "marketplaceId": "ATVPDKIKX0DER"}
LOOKUP = 10  # ids a getOrder execution


def start_redis() -> tuple[subprocess.Popen, str, tempfile.TemporaryDirectory]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (Debian: apt-get install redis-server)")
    port, folder = free_port(), tempfile.TemporaryDirectory()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", folder.name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    return proc, f"redis://127.0.0.1:{port}/0", folder


def spapi_counts(metrics_text: str) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for op, outcome, value in re.findall(r'^spapi_calls_total\{operation="([^"]+)",outcome="([^"]+)"\} ([0-9.e+]+)$',
                                         metrics_text, re.M):
        out[(op, outcome)] = out.get((op, outcome), 0.0) + float(value)
    return out


async def replica_work(port: int, ids: list[str], until: float, offset: int) -> int:
    """Lookups back to back and a trigger poll every 10 s; the orders fetched."""
    fetched = 0
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=900) as http:
        async def polls() -> None:
            snapshot: dict[str, Any] = {}
            while time.monotonic() < until:
                answer = (await http.post("/triggers/getNewAndUpdatedOrders/execute",
                                          json={"cfg": CFG, "snapshot": snapshot})).json()
                snapshot = answer.get("snapshot") or snapshot
                await asyncio.sleep(10)

        poller = asyncio.create_task(polls())
        n = offset
        while time.monotonic() < until:
            batch = [ids[(n + k) % len(ids)] for k in range(LOOKUP)]
            n += LOOKUP
            answer = (await http.post("/actions/getOrder/execute", json={"cfg": CFG, "msg": {"body": {
                "amazonOrderIds": batch}}})).json()
            for event in answer.get("events", []):
                if event["type"] == "data":
                    fetched += len(event["body"].get("orders", []))
        poller.cancel()
    return fetched


def run(replicas: int, store: str, seconds: float, time_scale: float) -> dict[str, Any]:
    sandbox, sb_port = start_sandbox("--time-scale", str(time_scale), "--real-quotas", "--order-every", "1e9")
    services: list[tuple[subprocess.Popen, int]] = []
    base = f"http://127.0.0.1:{sb_port}"
    quotas = json.dumps({"getOrder": {"max": 30, "restorePerSecond": 0.5 * time_scale},
                         "searchOrders": {"max": 20, "restorePerSecond": 0.0056 * time_scale}})
    try:
        for _ in range(replicas):
            services.append(start_service(MWS_PACING="on", MWS_QUOTAS=quotas, QUOTA_STORE=store,
                                          SPAPI_ENDPOINT=f"{base}/sandbox/sp-api",
                                          LWA_ENDPOINT=f"{base}/sandbox/lwa/token", STEP_TIMEOUT="900000"))
        state = httpx.get(f"{base}/sandbox/admin/state", timeout=30).json()
        ids = [o["amazonOrderId"] for o in state["orders"] if o["marketplaceId"] == CFG["marketplaceId"]]
        until = time.monotonic() + seconds

        async def all_replicas() -> list[int]:
            return await asyncio.gather(*[replica_work(port, ids, until, k * 7) for k, (_, port) in enumerate(services)])

        fetched = asyncio.run(all_replicas())
        counts: dict[tuple[str, str], float] = {}
        for _, port in services:
            for key, value in spapi_counts(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=30).text).items():
                counts[key] = counts.get(key, 0.0) + value
    finally:
        for proc, _ in services:
            stop(proc)
        stop(sandbox)
    throttled = sum(v for (op, outcome), v in counts.items() if outcome == "QuotaExceeded")
    ok_get = counts.get(("getOrder", "ok"), 0.0)
    return {"replicas": replicas, "store": "redis" if store.startswith("redis") else store, "seconds": seconds,
            "orders_fetched": sum(fetched), "getOrder_ok": ok_get, "throttled_429": throttled,
            "per_replica": fetched, "calls": {f"{op}/{outcome}": v for (op, outcome), v in sorted(counts.items())}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--replicas", type=int, default=4)
    parser.add_argument("--time-scale", type=float, default=10.0)
    args = parser.parse_args()
    redis_proc, url, folder = start_redis()
    try:
        results = [run(1, "memory", args.seconds, args.time_scale),
                   run(args.replicas, "memory", args.seconds, args.time_scale),
                   run(args.replicas, url, args.seconds, args.time_scale)]
    finally:
        stop(redis_proc)
        folder.cleanup()
    baseline = results[0]["orders_fetched"] or 1
    for result in results:
        result["share_of_one_replica"] = round(result["orders_fetched"] / baseline, 3)
    print(table(["replicas", "store", "orders fetched", "getOrder ok", "429 answers", "of 1 replica"],
                [[r["replicas"], r["store"], r["orders_fetched"], int(r["getOrder_ok"]), int(r["throttled_429"]),
                  f"{100 * r['share_of_one_replica']:.1f} %"] for r in results]))
    path = write_json("replicas", {"seconds": args.seconds, "time_scale": args.time_scale, "results": results})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
