"""Step overhead: getOrder through the step API vs the same GetOrder made directly with MWSClient.

One sandbox server (bench/_bench_sandbox.py: unlimited quotas, no generated orders), one service
under uvicorn (`python -m uvicorn app.main:app`, MWS_PACING=off, MWS_QUOTAS lifted), both on
127.0.0.1. Both paths reach the sandbox the same way, over loopback HTTP with a keep-alive
httpx.AsyncClient (the direct one is built by the service's own `app.runtime.http.build_client`):
- step: this process POSTs /actions/getOrder/execute over HTTP to the service (keep-alive), which
  signs, sends GetOrder to the sandbox, parses, and answers the execution result JSON;
- direct: this process calls `MWSClient.call("GetOrder", {"AmazonOrderId.Id.1": id})` (run mode,
  pacing off), which signs, sends and parses the same way.
One at a time (concurrency 1), after a warm-up of each, in interleaved rounds (direct, step, direct,
step, ...) so drifting machine load hits both alike. Overhead = p50(step) − p50(direct): the HTTP hop
to the service, request validation, the executor and the result's JSON.

Goal: p50 overhead <= 2 ms.

    python bench/step_overhead.py [--rounds 5] [--per-round 200]
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import httpx

from _bench_sandbox import LIFTED, sandbox_and_service
from _common import pct, table, write_json

from app.clock import SystemClock
from app.mws.client import MWSClient
from app.mws.credentials import Credentials
from app.runtime.http import build_client
from app.settings import Settings


async def measure(port: int, cfg: dict[str, Any], ids: list[str], rounds: int, per_round: int,
                  warmup: int) -> dict[str, list[float]]:
    settings = Settings.from_env({"MWS_PACING": "off", "MWS_QUOTAS": LIFTED, "ENDPOINT_ALLOWLIST": "http://127.0.0.1:*"})
    times: dict[str, list[float]] = {"direct": [], "step": []}
    async with build_client() as http, httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}",
                                                          timeout=httpx.Timeout(60, connect=10)) as api:
        mws = MWSClient(Credentials.from_cfg(cfg), http=http, clock=SystemClock(), settings=settings, mode="run")

        async def direct(order_id: str) -> None:
            result = await mws.call("GetOrder", {"AmazonOrderId.Id.1": order_id})
            assert result.data["orders"][0]["amazonOrderId"] == order_id

        async def step(order_id: str) -> None:
            r = await api.post("/actions/getOrder/execute",
                               json={"msg": {"body": {"amazonOrderIds": [order_id]}, "headers": {}}, "cfg": cfg,
                                     "snapshot": {}, "mode": "run"})
            result = r.json()
            assert r.status_code == 200 and result["outcome"] == "ok", result
            assert result["events"][0]["body"]["orders"][0]["amazonOrderId"] == order_id

        paths = {"direct": direct, "step": step}
        for n in range(warmup):
            for fn in paths.values():
                await fn(ids[n % len(ids)])
        for r in range(rounds):
            for name, fn in paths.items():
                for n in range(per_round):
                    order_id = ids[(r * per_round + n) % len(ids)]
                    t0 = time.perf_counter()
                    await fn(order_id)
                    times[name].append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-round", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    with sandbox_and_service(("--order-every", "1e9"), MWS_QUOTAS=LIFTED) as servers:
        ids = servers.demo_order_ids()
        times = asyncio.run(measure(servers.port, servers.cfg, ids, args.rounds, args.per_round, args.warmup))
    stats: dict[str, Any] = {}
    for name, values in times.items():
        stats[name] = {"calls": len(values), "p50ms": pct(values, 50) * 1000, "p99ms": pct(values, 99) * 1000,
                       "meanMs": statistics.fmean(values) * 1000, "perSecond": len(values) / sum(values)}
    overhead = stats["step"]["p50ms"] - stats["direct"]["p50ms"]
    # Per round, so a burst of load on the shared machine shows as spread rather than hiding.
    per_round = []
    for r in range(args.rounds):
        sl = slice(r * args.per_round, (r + 1) * args.per_round)
        per_round.append((statistics.median(times["step"][sl]) - statistics.median(times["direct"][sl])) * 1000)
    print(f"getOrder, one call at a time, {args.rounds} interleaved rounds x {args.per_round} "
          "(step: HTTP to the service under uvicorn; both reach the sandbox server over loopback HTTP)\n")
    print(table(["path", "calls", "p50 ms", "p99 ms", "mean ms", "calls/s"],
                [[n, s["calls"], f"{s['p50ms']:.2f}", f"{s['p99ms']:.2f}", f"{s['meanMs']:.2f}", f"{s['perSecond']:.0f}"]
                 for n, s in stats.items()]))
    print(f"\np50 overhead: {overhead:.2f} ms (per round: {', '.join(f'{x:.2f}' for x in per_round)})")
    met = overhead <= 2.0
    print(f"goal (p50 overhead <= 2 ms): {'MET' if met else 'MISSED'}")
    path = write_json("step_overhead", {"goal": {"p50OverheadMs": 2.0, "met": met}, "transport": "HTTP to uvicorn",
                                        "p50OverheadMs": overhead, "perRoundOverheadMs": per_round, **stats})
    print(f"written {path}")


if __name__ == "__main__":
    main()
