"""Load: 50 concurrent step executions (getOrder, listOrderItems) for 60 s, the service under uvicorn.

A sandbox server (bench/_bench_sandbox.py: unlimited quotas, no generated orders) and the service
(`python -m uvicorn app.main:app`, one worker, MWS_PACING=off, MWS_QUOTAS lifted) on 127.0.0.1.
Order ids come from GET /sandbox/admin/state (the demo marketplace). After a warm-up, 50 workers
share one httpx.AsyncClient (max_connections 50, keep-alive expiry 2 s) and each loops for 60 s, alternating
getOrder {"amazonOrderIds": [id]} and listOrderItems {"amazonOrderId": id} over the ids.
An error is any answer that is not HTTP 200 with outcome "ok", or a transport failure.

Goal: 0 errors (throughput and latency reported).

    python bench/load.py [--workers 50] [--seconds 60]
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter
from typing import Any

import httpx
import psutil

from _bench_sandbox import LIFTED, sandbox_and_service
from _common import pct, table, write_json

STEPS = ("getOrder", "listOrderItems")


def body(step: str, order_id: str) -> dict[str, Any]:
    return {"amazonOrderIds": [order_id]} if step == "getOrder" else {"amazonOrderId": order_id}


async def run(port: int, cfg: dict[str, Any], ids: list[str], workers: int, seconds: float) -> dict[str, Any]:
    latencies: dict[str, list[float]] = {s: [] for s in STEPS}
    errors: Counter[str] = Counter()
    # Keep-alive expiry below uvicorn's 5 s: a connection the server is closing as it idles out is
    # never reused (that race shows up as ReadError and is the client's doing, not the service's).
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits,
                                 timeout=httpx.Timeout(60, connect=10)) as client:
        async def execute(step: str, order_id: str) -> str | None:
            try:
                r = await client.post(f"/actions/{step}/execute",
                                      json={"msg": {"body": body(step, order_id), "headers": {}}, "cfg": cfg,
                                            "snapshot": {}, "mode": "run"})
            except httpx.HTTPError as exc:
                return type(exc).__name__
            if r.status_code != 200:
                return f"http {r.status_code}"
            result = r.json()
            if result["outcome"] != "ok":
                codes = [e["error"]["code"] for e in result["events"] if e["type"] == "error"]
                return f"{result['outcome']} {','.join(codes)}"
            return None

        for n in range(20):  # warm-up: imports, first-use caches, connections
            await asyncio.gather(*(execute(STEPS[k % 2], ids[(n * 10 + k) % len(ids)]) for k in range(10)))
        end = time.monotonic() + seconds

        async def worker(w: int) -> None:
            n = w
            while time.monotonic() < end:
                step = STEPS[n % 2]
                t0 = time.perf_counter()
                err = await execute(step, ids[n % len(ids)])
                latencies[step].append(time.perf_counter() - t0)
                if err:
                    errors[f"{step}: {err}"] += 1
                n += workers

        started = time.monotonic()
        await asyncio.gather(*(worker(w) for w in range(workers)))
        wall = time.monotonic() - started
    return {"latencies": latencies, "errors": errors, "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with sandbox_and_service(("--order-every", "1e9"), MWS_QUOTAS=LIFTED) as servers:
        ids = servers.demo_order_ids()
        svc, sbx = psutil.Process(servers.service.pid), psutil.Process(servers.sandbox.pid)
        me = psutil.Process()
        cpu0 = (sum(svc.cpu_times()[:2]), sum(sbx.cpu_times()[:2]), sum(me.cpu_times()[:2]))
        out = asyncio.run(run(servers.port, servers.cfg, ids, args.workers, args.seconds))
        cpu = (sum(svc.cpu_times()[:2]) - cpu0[0], sum(sbx.cpu_times()[:2]) - cpu0[1],
               sum(me.cpu_times()[:2]) - cpu0[2])
    lat, wall = out["latencies"], out["wall"]
    every = lat["getOrder"] + lat["listOrderItems"]
    total_errors = sum(out["errors"].values())
    rows = []
    per_step: dict[str, Any] = {}
    for name, values in [*lat.items(), ("all", every)]:
        per_step[name] = {"executions": len(values), "perSecond": len(values) / wall,
                          "p50ms": pct(values, 50) * 1000, "p99ms": pct(values, 99) * 1000,
                          "meanMs": statistics.fmean(values) * 1000 if values else None}
        rows.append([name, len(values), f"{len(values) / wall:.1f}", f"{pct(values, 50) * 1000:.1f}",
                     f"{pct(values, 99) * 1000:.1f}"])
    print(f"{args.workers} concurrent executions for {wall:.1f} s, {len(ids)} order ids "
          f"(cpu: service {cpu[0]:.1f} s, sandbox {cpu[1]:.1f} s, this client {cpu[2]:.1f} s;"
          f" load average {psutil.getloadavg()[0]:.1f} on {psutil.cpu_count()} cores)\n")
    print(table(["step", "executions", "per s", "p50 ms", "p99 ms"], rows))
    print(f"\nerrors: {total_errors}" + (" (" + ", ".join(f"{k} x{v}" for k, v in out["errors"].items()) + ")"
                                         if total_errors else ""))
    met = total_errors == 0 and len(every) > 0
    print(f"goal (0 errors): {'MET' if met else 'MISSED'}")
    path = write_json("load", {"goal": {"errors": 0, "met": met}, "workers": args.workers, "seconds": wall,
                               "orderIds": len(ids), "errors": total_errors, "errorKinds": dict(out["errors"]),
                               "serviceCpuSeconds": cpu[0], "sandboxCpuSeconds": cpu[1],
                               "clientCpuSeconds": cpu[2], "loadAverage1m": psutil.getloadavg()[0], "steps": per_step})
    print(f"written {path}")


if __name__ == "__main__":
    main()
