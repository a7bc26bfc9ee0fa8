"""Streaming a 1,000,000-row listings report through app.reports: rows/s and peak RSS, beside the csv module.

The report is _GET_MERCHANT_LISTINGS_ALL_DATA_ as Amazon sends it in the US: the wire model's header
line (app/model/mws/reports.json), tab-separated rows with accented titles, Cp1252, made on the fly
in 64 KiB chunks (about 230 MB in all, never held whole). Each variant runs in a fresh child process
(`--child NAME`); after its imports the peak-RSS mark is reset (/proc/self/clear_refs), then it reads
every row and consumes it as a step would (json.dumps, the emitted message), and reports its wall
time, the process's peak RSS (VmHWM) and the rise over the RSS before:

  generate     only makes the chunks (the cost every variant includes; subtracted for "net rows/s")
  ours         `async for row in app.reports.rows(chunks, content_type="text/plain;charset=Cp1252")`
  csv-stream   csv.DictReader(delimiter="\\t", quoting=QUOTE_NONE) over io.TextIOWrapper on the same chunks
  csv-whole    the same bytes joined, decoded, then csv.DictReader over the text: the read-it-all way

Goal: ours' peak RSS <= 64 MB for 1,000,000 rows.

    python bench/report_stream.py [--rows 1000000] [--chunk 65536]
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

from _common import BENCH_DIR, table, write_json

MB = 1024 * 1024
VARIANTS = ("generate", "ours", "csv-stream", "csv-whole")
GOAL_MB = 64
_NOUNS = ("Crème Kettle", "Café Mug", "Déjà Vu Lamp", "Naïve Tote", "Über Charger", "Smörgås Board")


def _vm(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> int:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := current RSS
    return _vm("VmRSS")


def report_chunks(rows: int, chunk: int) -> Iterator[bytes]:
    """The listings report, `rows` rows, in chunks of about `chunk` bytes (Cp1252)."""
    from app.model import load

    columns = load("mws", "reports")["reportTypes"]["_GET_MERCHANT_LISTINGS_ALL_DATA_"]["columns"]
    buffer = ["\t".join(columns) + "\n"]
    size = len(buffer[0])
    for i in range(rows):
        sku = f"BENCH-{i:07d}"
        line = (f"{_NOUNS[i % 6]} n° {i}\t\t{i:011d}\t{sku}\t{(i % 9000) / 100 + 1:.2f}\t{i % 500}\t"
                f"2024-03-01 10:00:00 UTC\t\ty\t1\t\t\t11\t\t\t\tB0{i:08d}\t\t\t\t\t\tB0{i:08d}\t\t\t0\tDEFAULT\t"
                f"Migrated Template\tActive\n")
        buffer.append(line)
        size += len(line)
        if size >= chunk:
            yield "".join(buffer).encode("cp1252")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("cp1252")


class ChunkStream(io.RawIOBase):
    """A readable raw stream over an iterator of chunks, for io.TextIOWrapper."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._left = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._left:
            self._left = next(self._chunks, b"")
            if not self._left:
                return 0
        n = min(len(buffer), len(self._left))
        buffer[:n], self._left = self._left[:n], self._left[n:]
        return n


def run_variant(name: str, rows: int, chunk: int) -> dict:
    import gc

    from app.reports import rows as report_rows

    gc.collect()
    before = _reset_peak()
    started = time.perf_counter()
    seen, emitted = 0, 0
    chunks = report_chunks(rows, chunk)
    if name == "generate":
        emitted = sum(len(c) for c in chunks)
    elif name == "ours":
        async def consume() -> tuple[int, int]:
            async def source():
                for c in chunks:
                    yield c
            n = size = 0
            async for row in report_rows(source(), content_type="text/plain;charset=Cp1252"):
                n += 1
                size += len(json.dumps(row))
            return n, size
        seen, emitted = asyncio.run(consume())
    else:
        if name == "csv-stream":
            text = io.TextIOWrapper(io.BufferedReader(ChunkStream(chunks), 65536), encoding="cp1252", newline="")
        else:
            text = io.StringIO(b"".join(chunks).decode("cp1252"), newline="")
        for row in csv.DictReader(text, delimiter="\t", quoting=csv.QUOTE_NONE):
            seen += 1
            emitted += len(json.dumps(row))
    seconds = time.perf_counter() - started
    peak = _vm("VmHWM")
    return {"variant": name, "rows": seen, "seconds": seconds, "peakRssMB": peak / MB,
            "riseMB": (peak - before) / MB, "rssBeforeMB": before / MB, "emittedBytes": emitted}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=65536)
    parser.add_argument("--child", choices=VARIANTS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_variant(args.child, args.rows, args.chunk)))
        return
    results = {}
    for name in VARIANTS:
        out = subprocess.run([sys.executable, str(BENCH_DIR / "report_stream.py"), "--child", name, "--rows",
                              str(args.rows), "--chunk", str(args.chunk)], capture_output=True, text=True, check=True)
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    gen = results["generate"]["seconds"]
    body_mb = results["generate"]["emittedBytes"] / MB
    lines = []
    for name, r in results.items():
        rate = f"{r['rows'] / r['seconds']:,.0f}" if r["rows"] else "-"
        net = f"{r['rows'] / max(1e-9, r['seconds'] - gen):,.0f}" if r["rows"] else "-"
        lines.append([name, f"{r['rows']:,}", f"{r['seconds']:.2f}", rate, net, f"{r['peakRssMB']:.1f}",
                      f"{r['riseMB']:.1f}"])
    print(f"_GET_MERCHANT_LISTINGS_ALL_DATA_, {args.rows:,} rows, {body_mb:.0f} MB Cp1252 in {args.chunk} B chunks; "
          "each variant in a fresh process\n")
    print(table(["variant", "rows", "s", "rows/s", "net rows/s", "peak RSS MB", "rise MB"], lines))
    ours = results["ours"]
    met = ours["peakRssMB"] <= GOAL_MB and ours["rows"] == args.rows
    print(f"\ngoal (ours: all {args.rows:,} rows, peak RSS <= {GOAL_MB} MB): {'MET' if met else 'MISSED'} "
          f"({ours['peakRssMB']:.1f} MB)")
    path = write_json("report_stream", {"rows": args.rows, "chunkBytes": args.chunk, "bodyMB": body_mb,
                                        "variants": results, "goal": {"peakRssMB": GOAL_MB, "met": met}})
    print(f"written {path}")


if __name__ == "__main__":
    main()
