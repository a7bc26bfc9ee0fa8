"""`Sandbox`: one simulated Amazon — accounts, each seller's state, quotas, faults — and the ways to reach it.

    sb = Sandbox(clock=VirtualClock(), seed=1)
    async with httpx.AsyncClient(transport=sb.transport(), base_url="http://sandbox") as http: ...

`mws_app` serves the MWS sections, `admin_app` the admin routes, `spapi_app`, `lwa_app` and
`documents_app` the SP-API sandbox over the same state (`spapi`, see app/sandbox/spapi), `app` all
of them (mws at /, admin at /sandbox/admin, SP-API at /sandbox/sp-api, /sandbox/lwa,
/sandbox/documents) for `python -m app.sandbox`. Time: one `clock` (default the SystemClock) drives the
data — orders and their generator, echoed bounds, feed dates, x-mws-timestamp — and the quotas;
`wall` checks request Timestamps (by default the injected clock when one is given, a test's virtual
clock being the whole world's time, else the wall clock). `time_scale` (SANDBOX_TIME_SCALE) never
touches the clock: it only speeds up the throttle (restore rates, hourly windows) and feed progress.
`quota_reset_minute` fixes the minute past each hour at which hourly quotas reset (Amazon's real
ones reset at :12); by default each caller's first request fixes it.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable, Mapping

from starlette.applications import Starlette
from starlette.routing import Mount

from app.clock import Clock, SystemClock

from . import mws
from .admin import admin_app
from .faults import Faults
from .mws import reports, wire
from .mws.app import MwsApp
from .mws.auth import Developer, Seller
from .mws.feeds import FeedStore
from .mws.paging import TokenCodec
from .mws.reports import ReportStore
from .mws.sections import Section
from .mws.throttle import Throttle
from .spapi import SpApi
from .state import OrderBook, SellerStates
from .state.dates import iso_ms
from .state.seed import OrderGenerator, build_catalog, build_jp_catalog, seed_orders
from .transport import SandboxTransport

DEMO: dict[str, str] = {
    "sellerId": "A1SANDBOXSELLER",
    "accessKeyId": "AKIASANDBOXDEMO",
    "secretAccessKey": "sandbox-secret-key",
    "mwsAuthToken": "amzn.mws.sandbox-demo",
    "marketplaceId": "ATVPDKIKX0DER",
}
DEMO_MARKETPLACES = ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A6W85IYQ5WB1C")
# A second seller of the demo developer key, in Japan: its catalog has Japanese titles (reports in Windows-31J).
DEMO_JP = {"sellerId": "A2SANDBOXSELLERJP", "marketplaceId": "A1VC38T7YXB528"}


class Sandbox:
    def __init__(self, clock: Clock | None = None, seed: int = 1, order_every: float = 60.0,
                 time_scale: float = 1.0, quotas: Mapping[str, Mapping[str, Any]] | None = None,
                 xsd_dir: str | Path | None = None, wall: Callable[[], float] | None = None,
                 quota_reset_minute: int | None = None) -> None:
        if not time_scale > 0:
            raise ValueError(f"time_scale must be positive, not {time_scale!r}")
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.seed = seed
        self.order_every = order_every
        self.time_scale = time_scale
        self.xsd_dir = Path(xsd_dir) if xsd_dir else None
        self.wall = wall if wall is not None else (clock.time if clock is not None else time.time)
        self.slow_seconds = 30.0           # how late a "slow" fault answers
        self.start_ms = self.now_ms()

        self.developers: dict[str, Developer] = {}
        self.add_seller(DEMO["accessKeyId"], DEMO["secretAccessKey"], DEMO["sellerId"],
                        DEMO["mwsAuthToken"], DEMO_MARKETPLACES)
        self.add_seller(DEMO["accessKeyId"], DEMO["secretAccessKey"], DEMO_JP["sellerId"], DEMO["mwsAuthToken"],
                        (DEMO_JP["marketplaceId"],))
        self.states = SellerStates()
        self.book.catalog = build_catalog(seed)
        self.states.of(DEMO_JP["sellerId"]).catalog = build_jp_catalog(seed)
        seed_orders(self.book, seed, self.start_ms)
        self.generator = OrderGenerator(seed, self.start_ms, int(order_every * 1000))
        self.throttle = Throttle(quotas, time_scale, quota_reset_minute)
        self.tokens = TokenCodec(os.urandom(16))
        self.sections: list[Section] = []
        self._refreshers: list[Callable[[int], None]] = []
        # Faults may name any operation of the wire model, whatever sections are served.
        self._operations: set[str] = set(wire.operations())
        self.faults = Faults(self._operations)
        self.feeds = FeedStore(seed, mws.feed_processor(self.states, self.xsd_dir), time_scale)
        self.reports = ReportStore(seed, reports.generator(self.states), self.start_ms, time_scale,
                                   reports.markets(self.states))
        refreshers = {"Feeds": self.feeds.advance, "Reports": self.reports.advance}
        for section in mws.sections(self.states, self.tokens, self.feeds, self.reports):
            self.add_section(section, refresh=refreshers.get(section.name))
        self.spapi = SpApi(self, quotas)
        self._refreshers.append(self.spapi.feeds.advance)

        self.mws_app = MwsApp(self)
        self.admin_app = admin_app(self)
        self.spapi_app, self.lwa_app, self.documents_app = self.spapi.api_app, self.spapi.lwa_app, self.spapi.documents_app
        self.app = Starlette(routes=[Mount("/sandbox/admin", app=self.admin_app),
                                     *[Mount(prefix, app=app) for prefix, app in self.spapi.mounts.items()],
                                     Mount("/", app=self.mws_app)])

    # -- configuration ---------------------------------------------------------------------------
    def add_section(self, section: Section, refresh: Callable[[int], None] | None = None) -> None:
        """Serve one more MWS section (Feeds: a Section with root_alias=True for `/`).

        `refresh(now_ms)` is called whenever the data is looked at, for lazy progress (feed states).
        """
        self.sections.append(section)
        self._operations.update(section.handlers)
        if refresh is not None:
            self._refreshers.append(refresh)

    def add_seller(self, access_key_id: str, secret: str, seller_id: str, auth_token: str | None,
                   marketplaces: tuple[str, ...] | list[str]) -> None:
        """Grant a developer key access to a seller (auth_token None: the seller's own key)."""
        developer = self.developers.setdefault(access_key_id, Developer(access_key_id, secret))
        developer.sellers[seller_id] = Seller(seller_id, auth_token, tuple(marketplaces))

    # -- time and data ---------------------------------------------------------------------------
    @property
    def book(self) -> OrderBook:
        """The demo seller's state: its orders and catalog (seeded, and where generated orders go)."""
        return self.states.of(DEMO["sellerId"])

    def now_ms(self) -> int:
        return int(self.clock.time() * 1000)

    def refresh(self, now_ms: int | None = None) -> None:
        """Apply every generator event whose time has come (lazily; no background task)."""
        now_ms = self.now_ms() if now_ms is None else now_ms
        self.generator.apply_until(self.book, now_ms)
        for refresh in self._refreshers:
            refresh(now_ms)

    # -- access ----------------------------------------------------------------------------------
    def transport(self, base_path: str = "") -> SandboxTransport:
        return SandboxTransport(self, base_path)

    def state(self) -> dict[str, Any]:
        now = self.now_ms()
        self.refresh(now)
        orders = sorted(self.book.orders.values(), key=lambda o: (o.last_update_ms, o.amazon_order_id))
        return {
            "now": iso_ms(now),
            "start": iso_ms(self.start_ms),
            "seed": self.seed,
            "sellers": [{"sellerId": s.seller_id, "accessKeyId": d.access_key_id, "marketplaces": list(s.marketplaces)}
                        for d in self.developers.values() for s in d.sellers.values()],
            "catalog": [item.summary() for item in self.book.catalog.values()],
            "orderCount": len(orders),
            "orders": [o.summary() for o in orders],
            "feeds": [f.summary() for f in self.feeds.feeds.values()],
            "reportRequests": [r.summary() for r in self.reports.requests.values()],
            "reports": [r.summary() for r in self.reports.reports.values()],
            "faults": self.faults.pending(),
            "throttle": self.throttle.levels(now / 1000),
            "spApi": self.spapi.state(now),
        }
