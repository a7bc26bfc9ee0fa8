"""Run every benchmark in sequence (each a subprocess with a time limit), collect their JSON into
bench/results.json with the date and the machine, and print each goal: met / missed, with the figure.

    python bench/run_all.py [--only feed_build load ...] [--skip stream_memory ...]

About 8–10 minutes on 2 cores (stream_memory's 100k run is most of it).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from typing import Any, Callable

from _common import BENCH_DIR, RESULTS, ROOT, table

# name -> (time limit in s, goal text, figure from its JSON)
def _f(fmt: str, *keys: str) -> Callable[[dict], str]:
    def figure(data: dict) -> str:
        values = []
        for key in keys:
            value: Any = data
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            values.append(value)
        try:
            return fmt.format(*values)
        except (TypeError, ValueError, IndexError):
            return "?"
    return figure


def _stream(data: dict) -> str:
    runs = ", ".join(f"{r['orders'] // 1000}k rise {r['riseMB']:.1f} MB" for r in data.get("runs", []))
    ratio = data.get("ratio")
    return runs + (f", ratio {ratio:.2f}" if ratio is not None else "")


def _throughput(data: dict) -> str:
    paced = next((r for r in data.get("runs", []) if r.get("strategy") == "paced"), None)
    if paced is None:
        return "?"
    return f"paced {paced['pagesShare']:.1%} of the quota's pages, {paced['throttled503']} × 503"


def _fuzz(data: dict) -> str:
    return (f"{data.get('requests')} requests, {len(data.get('serverErrors', []))} × 5xx, "
            f"{len(data.get('nonJson4xx', []))} non-JSON 4xx")


BENCHES: dict[str, tuple[int, str, Callable[[dict], str]]] = {
    "orders_throughput": (180, "paced ≥ 98 % of the quota, 0 × 503", _throughput),
    "stream_memory": (360, "rise ≤ 64 MB; 100k ≤ 1.2 × 10k", _stream),
    "parse": (180, "ours ≥ 2× faster than xmltodict", _f("{:.2f}× xmltodict", "oursVsXmltodict")),
    "feed_build": (180, "30k msgs build+MD5 ≤ 1 s, ≤ 100 MB",
                   _f("{:.3f} s, {:.1f} MB (validate {:.3f} s)", "buildSecondsMedian", "buildRiseMBMax",
                      "validateSecondsMedian")),
    "fault_soak": (240, "0 lost, 0 duplicated",
                   _f("{} lost, {} dup pairs, {} dup final; outcomes {}", "lost", "duplicatedPairs",
                      "duplicatedFinalVersions", "outcomes")),
    "load": (180, "0 errors (50 concurrent, 60 s)",
             _f("{} errors, {:.1f} exec/s, p50 {:.0f} ms, p99 {:.0f} ms", "errors", "steps.all.perSecond",
                "steps.all.p50ms", "steps.all.p99ms")),
    "step_overhead": (180, "p50 overhead ≤ 2 ms",
                      _f("{:.2f} ms (step p50 {:.2f}, direct p50 {:.2f})", "p50OverheadMs", "step.p50ms",
                         "direct.p50ms")),
    "fuzz": (300, "0 × 5xx, 0 non-JSON 4xx", _fuzz),
}


def met_of(name: str, data: dict, rc: int) -> bool | None:
    goal = data.get("goal")
    if isinstance(goal, dict) and "met" in goal:
        return bool(goal["met"])
    if name == "fuzz":
        return rc == 0 and not data.get("serverErrors") and not data.get("nonJson4xx")
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--skip", nargs="*", default=[])
    args = parser.parse_args()
    names = [n for n in BENCHES if (not args.only or n in args.only) and n not in args.skip
             and (BENCH_DIR / f"{n}.py").is_file()]
    collected: dict[str, Any] = {}
    rows = []
    for name in names:
        limit, goal, figure = BENCHES[name]
        path = RESULTS / f"{name}.json"
        if path.exists():
            path.unlink()  # never report a previous run's figures as this run's
        print(f"=== {name} (limit {limit} s)", flush=True)
        started = time.monotonic()
        try:
            rc = subprocess.run([sys.executable, str(BENCH_DIR / f"{name}.py")], cwd=ROOT, timeout=limit).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
        seconds = time.monotonic() - started
        data = json.loads(path.read_text()) if path.exists() else {}
        met = met_of(name, data, rc if isinstance(rc, int) else 1) if data else None
        collected[name] = {"exitStatus": rc, "seconds": round(seconds, 1), "goal": goal, "met": met,
                           "figure": figure(data) if data else None, "result": data}
        rows.append([name, goal, {True: "met", False: "MISSED", None: "?"}[met],
                     figure(data) if data else f"no result (exit {rc})", f"{seconds:.0f}"])
    report = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
              "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform(), "loadAverage": os.getloadavg()},
              "benches": collected}
    out = BENCH_DIR / "results.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\n{report['date']}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print(table(["bench", "goal", "status", "figure", "s"], rows))
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
