"""Everything the SP-API sandbox takes from the MWS sandbox and the shared seller state, in one place.

Both backends serve ONE seller's data (orders, catalog, marketplaces: app/sandbox/state/), so the
SP-API side reads and changes the very objects the MWS side does. These imports are the only
coupling between the two sections.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..mws import wire
from ..mws.app import IN_PROCESS, DroppedConnection, SlowAnswer, read_body
from ..mws.feeds.models import CANCELLED, DONE, IN_PROGRESS, SUBMITTED, Feed, FeedStore
from ..mws.feeds.processing import process_feed as _process_mws_feed
from ..state import OrderBook
from ..state.catalog import CatalogItem
from ..state.orders import Order

MARKETPLACES = wire.marketplaces()

if TYPE_CHECKING:
    from ..core import Sandbox

__all__ = ["CANCELLED", "DONE", "IN_PROCESS", "IN_PROGRESS", "MARKETPLACES", "SUBMITTED", "CatalogItem",
           "DroppedConnection", "Feed", "FeedStore", "Order", "SlowAnswer", "process_feed",
           "read_body", "seller_book", "seller_marketplaces"]


def seller_book(sandbox: "Sandbox", seller_id: str) -> OrderBook:
    """One seller's orders and catalog: the state the MWS side serves too."""
    return sandbox.states.of(seller_id)


def process_feed(sandbox: "Sandbox", feed: Feed) -> bytes:
    """An XML feed (order acknowledgements) run as the MWS sandbox runs it, on the seller's state."""
    return _process_mws_feed(feed, seller_book(sandbox, feed.seller_id), sandbox.xsd_dir)


def seller_marketplaces(sandbox: "Sandbox", seller_id: str) -> tuple[str, ...]:
    """The marketplaces `seller_id` participates in, as the MWS side knows them (its developer grants)."""
    for developer in sandbox.developers.values():
        seller = developer.sellers.get(seller_id)
        if seller is not None:
            return tuple(seller.marketplaces)
    return ()
