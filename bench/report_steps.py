"""getReport through the step itself: a 1,000,000-row listings report emitted one message per row
(emitIndividually) in bounded memory, and Fetch All's memory per row.

The action's `process` runs with a StepContext whose sink only counts and sizes the events (as a
reader of the NDJSON stream would take them), over the MWS client and a mock MWS endpoint that
answers RequestReport, GetReportRequestList (_DONE_) and GetReport, the last streamed from the same
generated _GET_MERCHANT_LISTINGS_ALL_DATA_ body as bench/report_stream.py (Cp1252, 64 KiB chunks,
never held whole). Each variant runs in a fresh child process; peak RSS is VmHWM after a reset.

  individually  emitBehavior emitIndividually, --rows rows (default 1,000,000)
  fetchAll      emitBehavior fetchAll, --fetch-rows rows (default 100,000): (peak − before) / rows

    python bench/report_steps.py [--rows 1000000] [--fetch-rows 100000]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
import time

from _common import BENCH_DIR, table, write_json
from report_stream import MB, _reset_peak, _vm, report_chunks

NS = "http://mws.amazonaws.com/doc/2009-01-01/"
GOAL_MB = 64


def _xml(action: str, inner: str) -> bytes:
    return (f'<?xml version="1.0"?><{action}Response xmlns="{NS}"><{action}Result>{inner}</{action}Result>'
            f"<ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></{action}Response>").encode()


def handler(rows: int):
    import httpx

    info = ("<ReportRequestInfo><ReportRequestId>1001</ReportRequestId><ReportType>_GET_MERCHANT_LISTINGS_ALL_DATA_"
            "</ReportType><ReportProcessingStatus>{status}</ReportProcessingStatus>{report}</ReportRequestInfo>")

    async def body():
        for chunk in report_chunks(rows, 65536):
            yield chunk

    def handle(request):
        form = dict(p.split("=", 1) for p in request.content.decode().split("&"))
        action = form["Action"]
        if action == "RequestReport":
            return httpx.Response(200, content=_xml(action, info.format(status="_SUBMITTED_", report="")))
        if action == "GetReportRequestList":
            return httpx.Response(200, content=_xml(action, "<HasNext>false</HasNext>" + info.format(
                status="_DONE_", report="<GeneratedReportId>2002</GeneratedReportId>")))
        if action == "GetReport":
            return httpx.Response(200, content=body(), headers={"Content-Type": "text/plain;charset=Cp1252"})
        return httpx.Response(400)
    return handle


def run_variant(name: str, rows: int) -> dict:
    import gc

    import httpx

    from app.actions import get_report
    from app.clock import VirtualClock
    from app.runtime.context import Services, StepContext
    from app.sandbox import DEMO
    from app.settings import Settings

    settings = Settings(response_check_delay_ms=1_000, step_timeout_ms=10**9, endpoint_allowlist=("http://mws.bench.test",))
    counted = {"events": 0, "bytes": 0, "rows": 0}

    async def sink(event):
        counted["events"] += 1
        body = event.get("body") or {}
        counted["rows"] += len(body["rows"]) if "rows" in body else (event["type"] == "data")
        counted["bytes"] += len(json.dumps(event))

    async def go():
        clock = VirtualClock()
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler(rows))) as http:
            services = Services(settings=settings, clock=clock, http=http)
            cfg = {**DEMO, "endpointUrl": "http://mws.bench.test", "reportType": "allListings",
                   "emitBehavior": "fetchAll" if name == "fetchAll" else "emitIndividually"}
            ctx = StepContext(step_key="getReport", kind="action", mode="run", cfg=cfg, snapshot={},
                              services=services, sink=sink, log=logging.getLogger("bench"))
            await get_report.process(ctx, {"body": {}})

    gc.collect()
    before = _reset_peak()
    started = time.perf_counter()
    asyncio.run(go())
    seconds = time.perf_counter() - started
    peak = _vm("VmHWM")
    return {"variant": name, "rows": counted["rows"], "events": counted["events"], "seconds": seconds,
            "peakRssMB": peak / MB, "riseMB": (peak - before) / MB, "bytesPerRow": (peak - before) / max(1, rows)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--fetch-rows", type=int, default=100_000)
    parser.add_argument("--child", choices=("individually", "fetchAll"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_variant(args.child, args.rows)))
        return
    results = {}
    for name, rows in (("individually", args.rows), ("fetchAll", args.fetch_rows)):
        out = subprocess.run([sys.executable, str(BENCH_DIR / "report_steps.py"), "--child", name, "--rows", str(rows)],
                             capture_output=True, text=True, check=True)
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    lines = [[n, f"{r['rows']:,}", f"{r['seconds']:.1f}", f"{r['rows'] / r['seconds']:,.0f}", f"{r['peakRssMB']:.1f}",
              f"{r['riseMB']:.1f}", f"{r['bytesPerRow']:,.0f}"] for n, r in results.items()]
    print("getReport (allListings, MWS client over a mock endpoint), each variant in a fresh process\n")
    print(table(["emitBehavior", "rows", "s", "rows/s", "peak RSS MB", "rise MB", "rise B/row"], lines))
    ind = results["individually"]
    met = ind["rows"] == args.rows and ind["peakRssMB"] <= GOAL_MB
    print(f"\ngoal (emitIndividually: all {args.rows:,} rows, peak RSS <= {GOAL_MB} MB): "
          f"{'MET' if met else 'MISSED'} ({ind['peakRssMB']:.1f} MB); fetchAll holds about "
          f"{results['fetchAll']['bytesPerRow'] / 1024:.1f} KB per row")
    path = write_json("report_steps", {"variants": results, "goal": {"peakRssMB": GOAL_MB, "met": met}})
    print(f"written {path}")


if __name__ == "__main__":
    main()
