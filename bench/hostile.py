"""The worst body of the hardening issue (line 1) against a real service, and what everyone else sees meanwhile.

    python bench/hostile.py [--ids 1100000] [--polls-every 0.005]

A getOrder execute whose body is ~22.5 MB of bad order ids (1.25 million `bad-id-0000000`), sent over
loopback HTTP to `python -m uvicorn app.main:app` (a fresh process per phase, no sandbox needed: the
input is refused before any call):

- `under`: MAX_BODY_BYTES=32 MiB, so the body is read and checked: 422 expected (the id count is
  over getOrder's 10,000, and every id is bad). Also 10,000 bad ids (within the maximum: a 422 of
  50 problems and a count) and 1.25 million well-formed ids (~29 MB).
- `over`: MAX_BODY_BYTES at its default, 16 MiB: a body just within it (a 422, the default
  configuration's worst), then the 22.5 MB one: 413 expected, by Content-Length and, chunked, by
  counting; the body is sent in 64 KiB pieces on a raw socket until the answer arrives, so the
  figure is when the service answered and how much it had been sent by then.

Meanwhile a second client (a process of its own, one keep-alive connection) polls GET /healthz and
reports p50/p99/max of the polls that overlapped the hostile request. Per request: status, seconds
to the answer, answer size; per phase the service's RSS after warm-up and its peak (VmHWM, reset
before the phase). Goals: 422 in under 1 s, /healthz p99 under 100 ms. Writes bench/results/hostile.json.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import socket
import time
from pathlib import Path
from typing import Any

import httpx

from _bench_sandbox import start_service, stop
from _common import pct, table, write_json

GOAL_422_S = 1.0
GOAL_HEALTHZ_P99_MS = 100.0
CFG = {"sellerId": "A1SELLER", "accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "bench-secret",
       "marketplaceId": "ATVPDKIKX0DER", "endpointUrl": "http://127.0.0.1:9"}


def body_of(ids: list[str]) -> bytes:
    return json.dumps({"cfg": CFG, "msg": {"body": {"amazonOrderIds": ids}, "headers": {}}}).encode()


def vm(pid: int, field: str) -> float:
    """A /proc/<pid>/status figure in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class HealthPoller:
    """GET /healthz in a loop on one keep-alive connection, in a process of its own (so that this
    process's work does not hold it back); (start, latency) of each poll, on the system-wide
    monotonic clock."""

    def __init__(self, port: int, every: float) -> None:
        self.halt = multiprocessing.Event()
        self.receiver, sender = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.Process(target=_poll, args=(port, every, self.halt, sender), daemon=True)
        self.polls: list[tuple[float, float]] = []
        self.failures = 0

    def start(self) -> None:
        self.process.start()

    def stop(self) -> None:
        self.halt.set()
        self.polls, self.failures = self.receiver.recv()
        self.process.join()

    def during(self, start: float, end: float) -> list[float]:
        """Latencies (ms) of the polls that were waiting at some moment of [start, end]."""
        return [lat * 1000 for t, lat in self.polls if t <= end and t + lat >= start]


def _poll(port: int, every: float, halt: Any, sender: Any) -> None:
    polls, failures = [], 0
    with httpx.Client(timeout=60) as client:
        while not halt.is_set():
            started = time.monotonic()
            try:
                ok = client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                polls.append((started, time.monotonic() - started))
            else:
                failures += 1
            halt.wait(every)
    sender.send((polls, failures))


def post(port: int, body: bytes) -> dict[str, Any]:
    with httpx.Client(timeout=600) as client:
        started = time.monotonic()
        response = client.post(f"http://127.0.0.1:{port}/actions/getOrder/execute", content=body,
                               headers={"Content-Type": "application/json"})
        seconds = time.monotonic() - started
    detail = response.json().get("detail") if response.headers.get("content-type", "").startswith("application/json") else None
    return {"status": response.status_code, "seconds": round(seconds, 3), "answerBytes": len(response.content),
            "problems": len(detail) if isinstance(detail, list) else None,
            "last": detail[-1] if isinstance(detail, list) and detail else None,
            "started": started, "ended": started + seconds}


def post_raw(port: int, body: bytes, *, chunked: bool) -> dict[str, Any]:
    """Sends `body` in 64 KiB pieces until the service answers; what it answered, when, after how much."""
    piece = 65536
    head = (f"POST /actions/getOrder/execute HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            + ("Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {len(body)}\r\n") + "\r\n").encode()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setblocking(False)
    started = time.monotonic()
    sent, answer, position = 0, b"", 0
    pending = head
    try:
        while b"\r\n\r\n" not in answer:
            try:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
                continue
            except BlockingIOError:
                pass
            if not pending and position < len(body):
                chunk = body[position:position + piece]
                position += len(chunk)
                pending = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") if chunked else chunk
                if chunked and position >= len(body):
                    pending += b"0\r\n\r\n"
            if pending:
                try:
                    n = sock.send(pending)
                    pending = pending[n:]
                    sent += n
                except (BlockingIOError, InterruptedError):
                    time.sleep(0.0005)
                except OSError:  # the service closed the connection: read what it answered
                    sock.setblocking(True)
                    sock.settimeout(5)
                    answer += sock.recv(65536)
                    break
            else:
                time.sleep(0.0005)
        seconds = time.monotonic() - started
    finally:
        sock.close()
    status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    status = int(status_line.split()[1]) if len(status_line.split()) > 1 else None
    return {"status": status, "seconds": round(seconds, 3), "bytesSentBeforeAnswer": sent, "bodyBytes": len(body),
            "started": started, "ended": started + seconds}


def phase(name: str, env: dict[str, str], requests: list[tuple[str, Any]], every: float) -> dict[str, Any]:
    service, port = start_service(LOG_LEVEL="WARNING", **env)
    try:
        with httpx.Client(timeout=30) as warm:  # every route the hostile requests take, once
            for _ in range(3):
                warm.post(f"http://127.0.0.1:{port}/actions/getOrder/execute", content=body_of(["bad"]))
        baseline = vm(service.pid, "VmRSS")
        Path(f"/proc/{service.pid}/clear_refs").write_text("5")  # VmHWM from here on
        poller = HealthPoller(port, every)
        poller.start()
        time.sleep(1.0)  # the poller's own baseline
        quiet_until = time.monotonic()
        windows = []
        for label, send in requests:
            result = send(port)
            windows.append((label, result, result.pop("started"), result.pop("ended")))
            time.sleep(0.3)
        poller.stop()
        quiet = [lat * 1000 for t, lat in poller.polls if t < quiet_until]
        runs = []
        for label, result, start, end in windows:
            during = poller.during(start, end)
            runs.append({"request": label, **result, "healthzPolls": len(during),
                         "healthzP50Ms": round(pct(during, 50), 2), "healthzP99Ms": round(pct(during, 99), 2),
                         "healthzMaxMs": round(max(during), 2) if during else None})
        return {"phase": name, "env": env, "baselineRssMB": round(baseline, 1),
                "peakRssMB": round(vm(service.pid, "VmHWM"), 1), "healthzQuietP50Ms": round(pct(quiet, 50), 2),
                "healthzFailures": poller.failures, "runs": runs}
    finally:
        stop(service)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ids", type=int, default=1_250_000, help="bad ids in the worst body (18 bytes each: 22.5 MB)")
    parser.add_argument("--polls-every", type=float, default=0.005, help="seconds between /healthz polls")
    args = parser.parse_args()
    worst = body_of([f"bad-id-{i:07d}" for i in range(args.ids)])
    well_formed = body_of([f"{i % 1000:03d}-{i:07d}-{i:07d}" for i in range(args.ids)])
    capped = body_of([f"bad-id-{i:07d}" for i in range(10_000)])
    mib = 1 << 20
    at_limit = body_of([f"bad-id-{i:07d}" for i in range((16 * mib - 1000) // 18)])
    print(f"worst body {len(worst) / 1e6:.1f} MB ({args.ids} bad ids); well-formed {len(well_formed) / 1e6:.1f} MB")
    under = phase("under", {"MAX_BODY_BYTES": str(32 * mib)}, [
        ("22 MB bad ids", lambda port: post(port, worst)),
        ("22 MB well-formed ids", lambda port: post(port, well_formed)),
        ("10,000 bad ids", lambda port: post(port, capped)),
    ], args.polls_every)
    over = phase("over", {}, [
        ("16 MiB bad ids (at the limit)", lambda port: post(port, at_limit)),
        ("22 MB, Content-Length", lambda port: post_raw(port, worst, chunked=False)),
        ("22 MB, chunked", lambda port: post_raw(port, worst, chunked=True)),
    ], args.polls_every)
    rows = [[p["phase"], r["request"], r["status"], r["seconds"], r.get("answerBytes", r.get("bytesSentBeforeAnswer")),
             r["healthzPolls"], r["healthzP50Ms"], r["healthzP99Ms"], r["healthzMaxMs"], p["peakRssMB"]]
            for p in (under, over) for r in p["runs"]]
    print(table(["phase", "request", "status", "s", "answer B / sent B", "polls", "hz p50 ms", "hz p99 ms",
                 "hz max ms", "peak RSS MB"], rows))
    worst_422 = max(r["seconds"] for p in (under, over) for r in p["runs"] if r["status"] == 422)
    p99 = max(r["healthzP99Ms"] for p in (under, over) for r in p["runs"])
    statuses_ok = [r["status"] for p in (under, over) for r in p["runs"]] == [422, 422, 422, 422, 413, 413]
    met = {"422UnderOneSecond": worst_422 < GOAL_422_S, "healthzP99Under100Ms": p99 < GOAL_HEALTHZ_P99_MS,
           "statuses": statuses_ok}
    print(f"slowest 422 {worst_422:.3f} s (goal < {GOAL_422_S} s): {'met' if met['422UnderOneSecond'] else 'MISSED'}; "
          f"worst /healthz p99 {p99:.1f} ms (goal < {GOAL_HEALTHZ_P99_MS} ms): {'met' if met['healthzP99Under100Ms'] else 'MISSED'}; "
          f"service peak RSS {under['peakRssMB']} MB (under) / {over['peakRssMB']} MB (over)")
    path = write_json("hostile", {"goal": {"seconds422": GOAL_422_S, "healthzP99Ms": GOAL_HEALTHZ_P99_MS, "met": met},
                                  "worstBodyBytes": len(worst), "ids": args.ids, "phases": [under, over]})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
