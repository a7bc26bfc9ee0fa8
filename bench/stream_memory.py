"""Streaming memory: one trigger poll of 10,000 and of 100,000 orders over NDJSON, from a real service.

For each size: a sandbox server process (bench/_bench_sandbox.py --orders N: no throttling) and a
fresh service process (`python -m uvicorn app.main:app` on 127.0.0.1, MWS_PACING=off). After a
warm-up (one sample-mode poll: one page, so imports and first-use caches are paid), the service's
RSS is the baseline and its peak-RSS mark is reset (/proc/<pid>/clear_refs); then one run-mode poll
of getNewAndUpdatedOrders (emitIndividually, Accept: application/x-ndjson) streams every order. The
peak is the higher of a 20 ms psutil sampler and VmHWM. The client counts lines, keeping none.

Goal: peak rise <= 64 MB, and the 100k rise <= 1.2 x the 10k rise.

    python bench/stream_memory.py [--sizes 10000 100000]
"""
from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from _bench_sandbox import sandbox_and_service, start_sandbox, start_service, stop
from _common import table, write_json

MB = 1024 * 1024
TRIGGER = "/triggers/getNewAndUpdatedOrders/execute"
NDJSON = {"Accept": "application/x-ndjson"}


def vm(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


class Sampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.proc, self.every, self.peak, self.samples = psutil.Process(pid), every, 0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, self.proc.memory_info().rss)
            except psutil.Error:
                return
            self.samples += 1
            self.stop.wait(self.every)


def poll(port: int, cfg: dict[str, Any], mode: str) -> dict[str, Any]:
    lines = data = 0
    last: dict[str, Any] = {}
    started = time.perf_counter()
    first = None
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=httpx.Timeout(600, connect=10)) as client:
        with client.stream("POST", TRIGGER, json={"cfg": cfg, "snapshot": {}, "mode": mode}, headers=NDJSON) as r:
            r.raise_for_status()
            for line in r.iter_lines():
                if not line:
                    continue
                lines += 1
                if first is None:
                    first = time.perf_counter() - started
                if line.startswith('{"type":"data"') or line.startswith('{"type": "data"'):
                    data += 1
                else:
                    last = json.loads(line)
    return {"lines": lines, "dataLines": data, "seconds": time.perf_counter() - started,
            "firstLineSeconds": first, "end": last}


SPAPI_CFG = {"lwaClientId": "amzn1.application-oa2-client.sandboxdemo", "lwaClientSecret": "sandbox-client-secret",
             "refreshToken": "Atzr|sandbox-demo-refresh-token", "sellerId": "A1SANDBOXSELLER",
             "marketplaceId": "ATVPDKIKX0DER"}


class _SpapiServers:
    """The sandbox server and a service whose SP-API and LWA endpoints are that sandbox's."""

    def __init__(self, sandbox_args: tuple[str, ...]) -> None:
        self.sandbox, self.sandbox_port = start_sandbox(*sandbox_args, stderr=None)
        base = f"http://127.0.0.1:{self.sandbox_port}"
        self.service, self.port = start_service(SPAPI_ENDPOINT=f"{base}/sandbox/sp-api",
                                                LWA_ENDPOINT=f"{base}/sandbox/lwa/token")
        self.cfg = dict(SPAPI_CFG)

    def __enter__(self) -> "_SpapiServers":
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self.service)
        stop(self.sandbox)


def run_size(orders: int, backend: str = "mws") -> dict[str, Any]:
    # order_every: no generated orders, so a poll's window holds exactly `orders` orders.
    args = ("--order-every", "1e9", "--orders", str(orders))
    servers_of = _SpapiServers(args) if backend == "spapi" else sandbox_and_service(args, sandbox_stderr=None)
    with servers_of as servers:
        service, port = servers.service, servers.port
        cfg = {**servers.cfg, "emitBehavior": "emitIndividually", "maxResultsPerPage": 100}
        startup_rss = psutil.Process(service.pid).memory_info().rss
        warm = poll(port, cfg, "sample")
        assert warm["end"].get("type") == "end", warm
        baseline = psutil.Process(service.pid).memory_info().rss
        Path(f"/proc/{service.pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        sampler = Sampler(service.pid)
        sampler.start()
        result = poll(port, cfg, "run")
        hwm = vm(service.pid, "VmHWM")
        cpu = {"serviceCpuSeconds": sum(psutil.Process(service.pid).cpu_times()[:2]),
               "sandboxCpuSeconds": sum(psutil.Process(servers.sandbox.pid).cpu_times()[:2])}
        sampler.stop.set()
        sampler.join()
        peak = max(sampler.peak, hwm)
    end = result.pop("end")
    return {"backend": backend, "orders": orders, **result, "outcome": end.get("outcome"), "endType": end.get("type"),
            "startupRssMB": startup_rss / MB, "baselineRssMB": baseline / MB, "peakRssMB": peak / MB,
            "riseMB": (peak - baseline) / MB, "riseFromStartupMB": (peak - startup_rss) / MB,
            "samplerPeakMB": sampler.peak / MB, "vmHwmMB": hwm / MB, "samples": sampler.samples, **cpu,
            "ordersPerSecond": orders / result["seconds"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backend", choices=["mws", "spapi"], default="mws")
    parser.add_argument("--repeat", type=int, default=3,
                        help="fresh processes per size; the median rise counts (a rise of ~1 MB is allocator noise)")
    args = parser.parse_args()
    trials = {n: [run_size(n, args.backend) for _ in range(args.repeat)] for n in args.sizes}
    runs = [sorted(t, key=lambda r: r["riseMB"])[len(t) // 2] | {"trialRisesMB": [round(r["riseMB"], 2) for r in t]}
            for t in trials.values()]
    print(f"[{args.backend}] One getNewAndUpdatedOrders poll over NDJSON, service RSS (fresh uvicorn process each; median of {args.repeat})\n")
    print(table(["orders", "data lines", "lines", "outcome", "seconds", "orders/s", "baseline MB", "peak MB",
                 "rise MB", "svc cpu s", "sbx cpu s"],
                [[r["orders"], r["dataLines"], r["lines"], r["outcome"], f"{r['seconds']:.1f}",
                  f"{r['ordersPerSecond']:.0f}", f"{r['baselineRssMB']:.1f}", f"{r['peakRssMB']:.1f}",
                  f"{r['riseMB']:.1f}", f"{r['serviceCpuSeconds']:.1f}", f"{r['sandboxCpuSeconds']:.1f}"]
                 for r in runs]))
    rises = {r["orders"]: r["riseMB"] for r in runs}
    ratio = rises[100_000] / rises[10_000] if 10_000 in rises and 100_000 in rises and rises[10_000] > 0 else None
    complete = all(r["dataLines"] == r["orders"] and r["outcome"] == "ok" for r in runs)
    met = complete and all(r["riseMB"] <= 64 for r in runs) and (ratio is None or ratio <= 1.2)
    for r in runs:
        print(f"{r['orders']} orders: rises of the trials {r['trialRisesMB']} MB")
    if ratio is not None:
        extra = (rises[100_000] - rises[10_000]) * MB / 90_000
        print(f"\n100k rise / 10k rise: {ratio:.2f} ({rises[100_000] - rises[10_000]:+.1f} MB, {extra:+.1f} bytes per extra order)")
    print(f"every order streamed, outcome ok: {complete}")
    print(f"goal (rise <= 64 MB, 100k <= 1.2 x 10k): {'MET' if met else 'MISSED'}")
    path = write_json("stream_memory" if args.backend == "mws" else "stream_memory_spapi", {"backend": args.backend, "goal": {"riseMB": 64, "ratio": 1.2, "met": met}, "ratio": ratio,
                                        "riseDifferenceMB": (rises[100_000] - rises[10_000]) if ratio is not None else None,
                                        "runs": runs})
    print(f"written {path}")


if __name__ == "__main__":
    main()
