"""Launcher for stream_memory.py: the sandbox as its own server, holding N synthetic orders, quotas lifted.

    python bench/sandbox_server.py --port P --orders 100000

Prints `ready <port> <orders>` on stdout once the orders are in and uvicorn is listening.
The book pages ListOrders from a sorted index (app/sandbox/models.py), so no bench-side caching is needed.
"""
from __future__ import annotations

import argparse
import asyncio
import sys

import uvicorn

from _common import add_synthetic_orders

from app.sandbox import DEMO, Sandbox
from app.sandbox.throttle import DEFAULT_QUOTAS

UNLIMITED = {group: {"max": 1e12, "restorePerSecond": 1e12} for group in DEFAULT_QUOTAS}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--orders", type=int, required=True, help="orders in the demo marketplace, the seeded ones included")
    args = parser.parse_args()
    # order_every: no generated orders, so a poll's window holds exactly --orders orders.
    sb = Sandbox(seed=1, order_every=1e9, quotas=UNLIMITED)
    seeded = sum(1 for o in sb.book.orders.values() if o.marketplace_id == DEMO["marketplaceId"])
    add_synthetic_orders(sb, max(0, args.orders - seeded))
    config = uvicorn.Config(sb.app, host="127.0.0.1", port=args.port, access_log=False, log_level="warning")
    server = uvicorn.Server(config)

    async def serve() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        print(f"ready {args.port} {len(sb.book.orders)}", flush=True)  # every marketplace
        await task

    asyncio.run(serve())
    sys.exit(0)


if __name__ == "__main__":
    main()
