"""The MWS backend of the sandbox: Orders, Sellers, Feeds and Reports over the sellers' shared state.

One subpackage per API section, after moto: orders/, sellers/, feeds/, each with models.py (the
backend model: the rules per operation) and responses.py (handlers that receive that backend and the
parsed call); reports/ likewise. Around them: app.py (the ASGI app: route, authenticate, throttle, answer), auth.py (its
own Signature V2 check), errors.py (the one catalogue of errors, and their XML), throttle.py (quota
buckets), paging.py (NextTokens), params.py, sections.py (Section, Call, Reply), wire.py (the shared
wire model app/model/mws, read here as data), xmlgen.py (XML writing).
"""
from __future__ import annotations

from pathlib import Path

from ..state import SellerStates
from . import feeds, orders, reports, sellers
from .feeds.processing import process_feed
from .paging import TokenCodec
from .sections import Section

__all__ = ["sections"]


def sections(states: SellerStates, tokens: TokenCodec, store: feeds.FeedStore,
             report_store: reports.ReportStore) -> list[Section]:
    """The served sections, each bound to its backend model over the same state and tokens."""
    return [orders.section(orders.OrdersBackend(states, tokens)),
            sellers.section(sellers.SellersBackend(tokens)),
            feeds.section(feeds.FeedsBackend(store, tokens)),
            reports.section(reports.ReportsBackend(report_store, tokens))]


def feed_processor(states: SellerStates, xsd_dir: Path | None):
    """What runs a feed when it is done: applies it to its seller's state, returns the report."""
    return lambda feed: process_feed(feed, states.of(feed.seller_id), xsd_dir)
