"""Everything the SP-API sandbox takes from the MWS sandbox and the shared seller state, in one place.

Both backends serve ONE seller's data (orders, catalog, marketplaces), so the SP-API side reads and
changes the very objects the MWS side does. These imports are the only coupling: when the shared
state and the MWS sandbox move into subpackages (app/sandbox/state/, app/sandbox/mws/), only this
file changes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..app import IN_PROCESS, DroppedConnection, SlowAnswer, read_body
from ..feeds_models import CANCELLED, DONE, IN_PROGRESS, SUBMITTED, Feed, FeedStore
from ..feeds_processing import process_feed
from ..models import MARKETPLACES, CatalogItem, Order

if TYPE_CHECKING:
    from ..core import Sandbox

__all__ = ["CANCELLED", "DONE", "IN_PROCESS", "IN_PROGRESS", "MARKETPLACES", "SUBMITTED", "CatalogItem",
           "DroppedConnection", "Feed", "FeedStore", "Order", "SlowAnswer", "process_feed",
           "read_body", "seller_marketplaces"]


def seller_marketplaces(sandbox: "Sandbox", seller_id: str) -> tuple[str, ...]:
    """The marketplaces `seller_id` participates in, as the MWS side knows them (its developer grants)."""
    for developer in sandbox.developers.values():
        seller = developer.sellers.get(seller_id)
        if seller is not None:
            return tuple(seller.marketplaces)
    return ()
