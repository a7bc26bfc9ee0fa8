"""Launcher for stream_memory.py: the sandbox as its own server, holding N synthetic orders, quotas lifted.

    python bench/sandbox_server.py --port P --orders 100000

Prints `ready <port> <orders>` on stdout once the orders are in and uvicorn is listening.
"""
from __future__ import annotations

import argparse
import asyncio
import sys

import uvicorn

from _common import add_synthetic_orders

from app.sandbox import DEMO, Sandbox
from app.sandbox.models import OrderBook
from app.sandbox.throttle import DEFAULT_QUOTAS

class IndexedBook(OrderBook):
    """OrderBook whose select() reuses its last answer while the book is unchanged.

    The sandbox re-selects and re-sorts the whole book for every ListOrders page
    (app/sandbox/responses_orders.py `_orders_page` → OrderBook.select), O(N log N) a page: 100k orders
    would spend ~0.18 s a page, ~3 minutes a listing, in the sandbox alone. Safe here: no generator,
    no feeds, so orders do not change while the bench runs.
    """

    def __init__(self, book: OrderBook) -> None:
        super().__init__()
        self.orders, self.catalog = book.orders, book.catalog
        self._cache: tuple[object, list] | None = None

    def select(self, **query):
        key = (len(self.orders), repr(sorted((k, sorted(v) if isinstance(v, set) else v) for k, v in query.items())))
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, super().select(**query))
        return self._cache[1]


UNLIMITED = {group: {"max": 1e12, "restorePerSecond": 1e12} for group in DEFAULT_QUOTAS}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--orders", type=int, required=True, help="orders in the demo marketplace, the seeded ones included")
    parser.add_argument("--no-index", action="store_true", help="keep the sandbox's own O(N)-a-page select")
    args = parser.parse_args()
    # order_every: no generated orders, so a poll's window holds exactly --orders orders.
    sb = Sandbox(seed=1, order_every=1e9, quotas=UNLIMITED)
    seeded = sum(1 for o in sb.book.orders.values() if o.marketplace_id == DEMO["marketplaceId"])
    add_synthetic_orders(sb, max(0, args.orders - seeded))
    if not args.no_index:
        sb.book = IndexedBook(sb.book)
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
