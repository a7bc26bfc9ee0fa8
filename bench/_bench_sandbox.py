"""Launcher for fault_soak.py, load.py and step_overhead.py: the sandbox as its own uvicorn server,
quotas lifted (so only the faults a bench asks for answer badly), its generator and slow fault tunable.

    python bench/_bench_sandbox.py --port P [--seed 1] [--order-every 60] [--time-scale 1] [--slow-seconds 30]

Prints `ready <port> <orders>` on stdout once uvicorn is listening. Also gives the helpers the
benches share to start it and the service (`python -m uvicorn app.main:app`) as subprocesses.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time

import httpx

from _common import BENCH_DIR, ROOT


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


def start_sandbox(*args: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(BENCH_DIR / "_bench_sandbox.py"), "--port", str(port), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line.startswith("ready"):
        proc.kill()
        raise RuntimeError(f"sandbox did not start: {line!r}")
    return proc, port


def start_service(**env_extra: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "MWS_PACING": "off", "LOG_LEVEL": "WARNING", **env_extra}
    env.pop("SANDBOX", None)
    env.pop("STEP_API_TOKEN", None)
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


def main() -> None:
    import uvicorn

    from app.sandbox import Sandbox
    from app.sandbox.throttle import DEFAULT_QUOTAS

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--order-every", type=float, default=60.0, help="sandbox seconds between generated events")
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--slow-seconds", type=float, default=30.0)
    args = parser.parse_args()
    unlimited = {group: {"max": 1e12, "restorePerSecond": 1e12, **({"hourly": 1e12} if "hourly" in q else {})}
                 for group, q in DEFAULT_QUOTAS.items()}
    sb = Sandbox(seed=args.seed, order_every=args.order_every, time_scale=args.time_scale, quotas=unlimited)
    sb.slow_seconds = args.slow_seconds
    server = uvicorn.Server(uvicorn.Config(sb.app, host="127.0.0.1", port=args.port, access_log=False,
                                           log_level="warning"))

    async def serve() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        print(f"ready {args.port} {len(sb.book.orders)}", flush=True)
        await task

    asyncio.run(serve())


if __name__ == "__main__":
    main()
