"""Helpers the benchmarks share: synthetic orders for a sandbox's book, percentiles, results output, machine facts."""
from __future__ import annotations

import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DAY_MS = 86_400_000


def add_synthetic_orders(sandbox: Any, count: int, *, seed: int = 7, days_back: float = 60.0) -> None:
    """`count` realistic orders (the sandbox's own OrderFactory) last updated within the `days_back` days
    before one day ago — inside any ListOrders window that starts at 1970, so pages never run out."""
    from app.sandbox.state.seed import OrderFactory

    rng = random.Random(f"bench/{seed}")
    factory = OrderFactory(sandbox.book)
    end_ms = sandbox.start_ms - DAY_MS
    span = int(days_back * DAY_MS)
    statuses = ("Shipped", "Shipped", "Shipped", "Unshipped", "Canceled", "Pending")
    for _ in range(count):
        last = end_ms - rng.randrange(0, span)
        sandbox.book.add(factory.make(rng, marketplace_id="ATVPDKIKX0DER", purchase_ms=last - rng.randrange(0, DAY_MS),
                                      last_update_ms=last, status=rng.choice(statuses)))


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank on the sorted values); NaN for no values."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def machine() -> dict[str, Any]:
    return {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "python": platform.python_version(),
            "platform": platform.platform(), "cpus": os.cpu_count()}


def write_json(name: str, data: dict[str, Any]) -> Path:
    """bench/results/<name>.json, or the folder BENCH_RESULTS names (a test's CI-sized run)."""
    folder = Path(os.environ.get("BENCH_RESULTS") or RESULTS)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2) + "\n", encoding="utf-8")
    return path


def table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]])
