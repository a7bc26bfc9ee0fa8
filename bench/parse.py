"""Parsing one 100-order ListOrders page to JSON-ready data: ours vs xmltodict vs a bare lxml parse.

The page comes from the sandbox in-process (a signed ListOrders call through MWSClient; result.body).
  ours       app.mws.xml.parse_result with the ListOrders operation's result element and shape
             (hardened parser, lowerCamelCase keys, lists from the model, typed leaves)
  xmltodict  xmltodict.parse(body) (bench-only dependency, pyproject [bench] extra)
  lxml bare  etree.fromstring(body): parsing only, no conversion — the floor
Timing: best of 5 repeats × 200 iterations (timeit), µs per page. Goal: ours >= 2× faster than xmltodict.
With --profile, a cProfile of ours is printed (top functions by internal time).

    python bench/parse.py [--repeat 5] [--number 200] [--profile]
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import timeit

import httpx
import xmltodict
from lxml import etree

from _common import table, write_json

from app.clock import VirtualClock
from app.mws.client import MWSClient
from app.mws.credentials import Credentials
from app.mws.operations import operation
from app.mws.xml import parse_result
from app.sandbox import DEMO, Sandbox
from app.settings import Settings


async def fetch_page() -> bytes:
    clock = VirtualClock()
    sb = Sandbox(clock=clock, seed=1)  # client and sandbox both read time, Timestamps included, from `clock`
    async with httpx.AsyncClient(transport=sb.transport()) as http:
        client = MWSClient(Credentials.from_cfg({**DEMO, "endpointUrl": "http://sandbox.bench"}), http=http,
                           clock=clock, settings=Settings())
        result = await client.call("ListOrders", {"MarketplaceId.Id.1": DEMO["marketplaceId"],
                                                  "LastUpdatedAfter": "1970-01-01T00:00:00Z",
                                                  "MaxResultsPerPage": "100"})
    assert len(result.data["orders"]) == 100, len(result.data["orders"])
    return result.body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--number", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of ours")
    args = parser.parse_args()
    body = asyncio.run(fetch_page())
    op = operation("ListOrders")
    ours = lambda: parse_result(body, op.result or "", op.shape, op.result_lists)  # noqa: E731
    candidates = {
        "ours": ours,
        "xmltodict": lambda: xmltodict.parse(body),
        "lxml bare": lambda: etree.fromstring(body),
    }
    for fn in candidates.values():  # warm-up, and a check that each one works on the page
        fn()
    us = {name: min(timeit.repeat(fn, repeat=args.repeat, number=args.number)) / args.number * 1e6
          for name, fn in candidates.items()}
    print(f"ListOrders page: 100 orders, {len(body):,} bytes; best of {args.repeat} x {args.number}\n")
    print(table(["parser", "µs/page", "µs/order", "vs ours"],
                [[n, f"{v:.0f}", f"{v / 100:.1f}", f"{v / us['ours']:.2f}x"] for n, v in us.items()]))
    speedup = us["xmltodict"] / us["ours"]
    met = speedup >= 2.0
    print(f"\nspeed-up of ours over xmltodict: {speedup:.2f}x (goal 2x); ours vs bare lxml parse: {us['ours'] / us['lxml bare']:.2f}x "
          f"slower\ngoal (ours >= 2x faster than xmltodict): {'MET' if met else 'MISSED'}")
    profile_top = None
    if args.profile or not met:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.number):
            ours()
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(12)
        profile_top = out.getvalue()
        print("\ncProfile of ours (by internal time):\n" + profile_top)
    path = write_json("parse", {"bytes": len(body), "orders": 100, "repeat": args.repeat, "number": args.number,
                                "microsecondsPerPage": us, "oursVsXmltodict": speedup,
                                "oursVsBareLxml": us["ours"] / us["lxml bare"],
                                "goal": {"speedupOverXmltodict": 2.0, "met": met}, "profile": profile_top})
    print(f"written {path}")


if __name__ == "__main__":
    main()
