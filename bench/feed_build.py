"""Feed building: a 30,000-message Inventory envelope built and MD5'd, in a fresh process each run.

Each run is a child process (`--child`): after its imports, the input messages (the parsed request
body, made before the clock starts) and, when the XSDs are there, the compiled amzn-envelope.xsd
(compiled up front, timed on its own: it is a once-per-process cost), the peak-RSS mark is reset
(/proc/self/clear_refs) and `build_feed("Inventory", messages, seller)` runs without validation —
the envelope's bytes and their Content-MD5, what SubmitFeed sends. Reported: its wall time and the
rise of the process's peak RSS (VmHWM) over the RSS just before. Then, beside it, the validation of
those bytes against the compiled schema (`validate_envelope`), timed and measured the same way.

Beside it, in the same child, the SP-API document of the same input (25,000 messages, the most a
JSON_LISTINGS_FEED takes): `listings_feed(listings.inventory, ...)`, its bytes and their Content-MD5
(gzip-free, as uploaded), timed and measured the same way.

Goal: build + MD5 <= 1 s and peak rise <= 100 MB, on each (validation reported, not part of the goal).

    python bench/feed_build.py [--messages 30000] [--runs 3] [--xsd-dir ../shared/amazon-reference/xsd]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import BENCH_DIR, ROOT, table, write_json

MB = 1024 * 1024
DEFAULT_XSD = os.environ.get("MWS_XSD_DIR") or str((ROOT / ".." / "shared" / "amazon-reference" / "xsd").resolve())


def _vm(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> int:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := current RSS
    return _vm("VmRSS")


def messages(count: int) -> list[dict]:
    out = []
    for i in range(count):
        message = {"SKU": f"BENCH-SKU-{i:06d}", "FulfillmentLatency": 1 + i % 5}
        if i % 3 == 0:
            message["Available"] = i % 2 == 0
        else:
            message["Quantity"] = i % 1000
        if i % 10 == 0:
            message["RestockDate"] = "2026-12-15"
        out.append(message)
    return out


def child(count: int, xsd_dir: str | None) -> dict:
    import gc

    from app.feeds import KINDS, build_feed
    from app.feeds.xsd import envelope_schema, validate_envelope

    msgs = messages(count)
    out: dict = {"messages": count}
    xsd = Path(xsd_dir) if xsd_dir and (Path(xsd_dir) / "amzn-envelope.xsd").is_file() else None
    if xsd is not None:
        before = _reset_peak()
        started = time.perf_counter()
        envelope_schema(xsd)
        out["xsdCompileSeconds"] = time.perf_counter() - started
        out["xsdCompileRiseMB"] = (_vm("VmHWM") - before) / MB
    gc.collect()
    before = _reset_peak()
    started = time.perf_counter()
    feed = build_feed("Inventory", msgs, "A1SANDBOXSELLER")
    out["buildSeconds"] = time.perf_counter() - started
    out["buildRiseMB"] = (_vm("VmHWM") - before) / MB
    out["baselineRssMB"] = before / MB
    out["bytes"] = len(feed.body)
    out["count"] = feed.count
    out["contentMd5"] = feed.content_md5
    if xsd is not None:
        gc.collect()
        before = _reset_peak()
        started = time.perf_counter()
        validate_envelope(feed.body, xsd, KINDS["Inventory"])
        out["validateSeconds"] = time.perf_counter() - started
        out["validateRiseMB"] = (_vm("VmHWM") - before) / MB
    from app.feeds import listings

    json_msgs = msgs[: min(count, listings.MAX_MESSAGES)]
    del feed
    gc.collect()
    before = _reset_peak()
    started = time.perf_counter()
    document = listings.listings_feed(listings.inventory, json_msgs,
                                      {"sellerId": "A1SANDBOXSELLER", "marketplaceId": "ATVPDKIKX0DER"}, single=False)
    out["jsonSeconds"] = time.perf_counter() - started
    out["jsonRiseMB"] = (_vm("VmHWM") - before) / MB
    out["jsonMessages"], out["jsonBytes"] = document.count, len(document.body)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--xsd-dir", default=DEFAULT_XSD)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.messages, args.xsd_dir)))
        return
    runs = []
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, str(BENCH_DIR / "feed_build.py"), "--child", "--messages",
                               str(args.messages), "--xsd-dir", args.xsd_dir], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    validated = "validateSeconds" in runs[0]
    fmt = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
    print(f"Inventory feed of {args.messages:,} messages, fresh process per run "
          f"({runs[0]['bytes'] / MB:.1f} MB envelope; XSD {'at ' + args.xsd_dir if validated else 'not found: no validation'})\n")
    print(table(["run", "build+md5 s", "build rise MB", "validate s", "validate rise MB", "xsd compile s",
                 "xsd compile MB", "baseline MB"],
                [[i + 1, fmt(r["buildSeconds"]), f"{r['buildRiseMB']:.1f}", fmt(r.get("validateSeconds")),
                  fmt(r.get("validateRiseMB")), fmt(r.get("xsdCompileSeconds")), fmt(r.get("xsdCompileRiseMB")),
                  f"{r['baselineRssMB']:.1f}"] for i, r in enumerate(runs)]))
    build = statistics.median(r["buildSeconds"] for r in runs)
    rise = max(r["buildRiseMB"] for r in runs)
    json_build = statistics.median(r["jsonSeconds"] for r in runs)
    json_rise = max(r["jsonRiseMB"] for r in runs)
    print(f"\nSP-API JSON listings document of {runs[0]['jsonMessages']:,} messages ({runs[0]['jsonBytes'] / MB:.1f} MB): "
          f"build+md5 median {json_build:.3f} s, max peak rise {json_rise:.1f} MB")
    met = build <= 1.0 and rise <= 100 and all(r["count"] == args.messages for r in runs) \
        and json_build <= 1.0 and json_rise <= 100
    summary = {"buildSecondsMedian": build, "buildRiseMBMax": rise,
               "jsonSecondsMedian": json_build, "jsonRiseMBMax": json_rise,
               "validateSecondsMedian": statistics.median(r["validateSeconds"] for r in runs) if validated else None,
               "xsdCompileSecondsMedian": statistics.median(r["xsdCompileSeconds"] for r in runs) if validated else None}
    print(f"\nbuild+md5 median {build:.3f} s, max peak rise {rise:.1f} MB"
          + (f"; validation median {summary['validateSecondsMedian']:.3f} s" if validated else ""))
    print(f"goal (build+md5 <= 1 s, rise <= 100 MB): {'MET' if met else 'MISSED'}")
    path = write_json("feed_build", {"goal": {"buildSeconds": 1.0, "riseMB": 100, "met": met}, **summary,
                                     "xsdDir": args.xsd_dir if validated else None, "runs": runs})
    print(f"written {path}")


if __name__ == "__main__":
    main()
