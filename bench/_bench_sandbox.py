"""The sandbox server every bench that needs one starts, and the helpers to start it and the service.

    python bench/_bench_sandbox.py --port P [--seed 1] [--order-every 60] [--time-scale 1] [--slow-seconds 30]
                                   [--orders N]

The sandbox as its own uvicorn server, quotas lifted (so only the faults a bench asks for answer
badly), its generator and slow fault tunable; `--orders N` fills the demo marketplace up to N orders
(the seeded ones included) with synthetic ones (_common.add_synthetic_orders). Prints
`ready <port> <orders>` on stdout once the book is full and uvicorn is listening.

Used by fault_soak.py, load.py, step_overhead.py and stream_memory.py through `start_sandbox`,
`start_service` (`python -m uvicorn app.main:app`, MWS_PACING=off) and `stop`, or all three at once
through `sandbox_and_service`.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import httpx

from _common import BENCH_DIR, ROOT, add_synthetic_orders

# The service's own client-side quotas (MWS_QUOTAS), lifted for the operations the benches call.
LIFTED = json.dumps({g: {"max": 1e9, "restorePerSecond": 1e9} for g in ("ListOrders", "GetOrder", "ListOrderItems")})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


def start_sandbox(*args: str, stderr: int | None = subprocess.DEVNULL) -> tuple[subprocess.Popen, int]:
    """This module as a server process with `args`; returns once it printed `ready`."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(BENCH_DIR / "_bench_sandbox.py"), "--port", str(port), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True)
    line = proc.stdout.readline()  # "ready <port> <orders>" once the book is full and uvicorn listens
    if not line.startswith("ready"):
        proc.kill()
        raise RuntimeError(f"sandbox did not start: {line!r}")
    return proc, port


def start_service(*, drop: tuple[str, ...] = ("SANDBOX", "STEP_API_TOKEN"), **env_extra: str) -> tuple[subprocess.Popen, int]:
    """`python -m uvicorn app.main:app` (MWS_PACING=off, LOG_LEVEL=WARNING, the loopback sandbox admitted by
    ENDPOINT_ALLOWLIST, `env_extra`), without the variables in `drop`; returns once /healthz answers."""
    port = free_port()
    env = {**os.environ, "MWS_PACING": "off", "LOG_LEVEL": "WARNING", "ENDPOINT_ALLOWLIST": "http://127.0.0.1:*",
           **env_extra}
    for name in drop:
        env.pop(name, None)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
                             "--port", str(port), "--no-access-log", "--log-level", "warning"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(f"http://127.0.0.1:{port}/healthz", 30)
    return proc, port


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class Servers:
    sandbox: subprocess.Popen
    sandbox_port: int
    service: subprocess.Popen
    port: int

    @property
    def cfg(self) -> dict[str, Any]:
        """The demo seller's credentials, pointed at this sandbox."""
        from app.sandbox import DEMO

        return {**DEMO, "endpointUrl": f"http://127.0.0.1:{self.sandbox_port}"}

    def demo_order_ids(self) -> list[str]:
        """Ids of the sandbox's orders in the demo marketplace (GET /sandbox/admin/state)."""
        from app.sandbox import DEMO

        state = httpx.get(f"http://127.0.0.1:{self.sandbox_port}/sandbox/admin/state", timeout=30).json()
        return [o["amazonOrderId"] for o in state["orders"] if o["marketplaceId"] == DEMO["marketplaceId"]]


@contextmanager
def sandbox_and_service(sandbox_args: tuple[str, ...] = (), *, sandbox_stderr: int | None = subprocess.DEVNULL,
                        drop: tuple[str, ...] = ("SANDBOX", "STEP_API_TOKEN"), **service_env: str) -> Iterator[Servers]:
    """A sandbox server, then the service; both stopped on the way out (the service first)."""
    sandbox, sb_port = start_sandbox(*sandbox_args, stderr=sandbox_stderr)
    try:
        service, port = start_service(drop=drop, **service_env)
        try:
            yield Servers(sandbox, sb_port, service, port)
        finally:
            stop(service)
    finally:
        stop(sandbox)


class FastClock:
    """A data clock running `speed` times faster than real time (a bench's own, not the product's):
    new and updated orders reach the ListOrders window (now − 2 min) within seconds."""

    def __init__(self, speed: float) -> None:
        self.speed, self.wall0, self.mono0 = speed, time.time(), time.monotonic()

    def time(self) -> float:
        return self.wall0 + (time.monotonic() - self.mono0) * self.speed

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.speed)


def main() -> None:
    import uvicorn

    from app.sandbox import DEMO, Sandbox
    from app.sandbox.mws.wire import throttle_groups

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--order-every", type=float, default=60.0, help="seconds between generated order events")
    parser.add_argument("--time-scale", type=float, default=1.0, help="speeds up quotas and feed progress")
    parser.add_argument("--slow-seconds", type=float, default=30.0)
    parser.add_argument("--clock-speed", type=float, default=1.0,
                        help="run the sandbox's data clock this many times faster than real time")
    parser.add_argument("--real-quotas", action="store_true",
                        help="keep Amazon's quotas (scaled by --time-scale) instead of lifting MWS's")
    parser.add_argument("--orders", type=int, default=None,
                        help="fill the demo marketplace up to this many orders, the seeded ones included")
    args = parser.parse_args()
    unlimited = {group: {"max": 1e12, "restorePerSecond": 1e12, **({"hourly": 1e12} if "hourly" in q else {})}
                 for group, q in throttle_groups().items()}
    unlimited.update({operation: {"max": 1e12, "restorePerSecond": 1e12}  # SP-API's usage plans too
                      for operation in json.loads((ROOT / "app/model/spapi/usage_plans.json").read_text())
                      if not operation.startswith("$")})
    # Request Timestamps stay checked against real time: the service signs with the real clock.
    clock = {"clock": FastClock(args.clock_speed), "wall": time.time} if args.clock_speed != 1 else {}
    sb = Sandbox(**clock, seed=args.seed, order_every=args.order_every, time_scale=args.time_scale,
                 quotas=None if args.real_quotas else unlimited)
    sb.slow_seconds = args.slow_seconds
    if args.orders is not None:
        seeded = sum(1 for o in sb.book.orders.values() if o.marketplace_id == DEMO["marketplaceId"])
        add_synthetic_orders(sb, max(0, args.orders - seeded))
    server = uvicorn.Server(uvicorn.Config(sb.app, host="127.0.0.1", port=args.port, access_log=False,
                                           log_level="warning"))

    async def serve() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        print(f"ready {args.port} {len(sb.book.orders)}", flush=True)  # every marketplace
        await task

    asyncio.run(serve())


if __name__ == "__main__":
    main()
