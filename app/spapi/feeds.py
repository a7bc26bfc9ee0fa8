"""Feed documents on SP-API (the `FeedFormat` of app.backends.ports): a JSON listings feed for the
listing actions, the XML envelope under SP-API's feed type name for the others (order
acknowledgements: `POST_ORDER_ACKNOWLEDGEMENT_DATA`, Amazon's MWS name without its underscores)."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from app.feeds import Feed, build_feed, is_single, kind_of, normalize
from app.feeds.listings import listings_feed


class SpapiFeedFormat:
    def document(self, builders: Any, body: dict[str, Any], cfg: dict[str, Any], *,
                 validate_with: Path | None = None) -> Feed:
        if builders.listings is not None:
            return listings_feed(builders.listings, normalize(body), cfg, single=is_single(body))
        feed = build_feed(kind_of(builders.xml).message_type, normalize(body), cfg["sellerId"],
                          xsd_dir=validate_with, single=is_single(body))
        return dataclasses.replace(feed, feed_type=feed.feed_type.strip("_"))
