"""Feeds, a builder library: AmazonEnvelope builders per message type, XSD validation, the
processing-report parser. How a feed is submitted and waited for lives with the steps (app/steps)."""
from app.mws.md5 import content_md5, verify_md5

from .feed import Feed, build_feed, is_single, normalize
from .kinds import KINDS, kind_of

__all__ = ["KINDS", "Feed", "build_feed", "content_md5", "is_single", "kind_of", "normalize",
           "verify_md5"]
