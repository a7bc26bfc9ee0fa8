"""Feeds: AmazonEnvelope builders per message type, XSD validation and the processing-report parser."""
from .feed import Feed, build_feed, is_single, normalize
from .kinds import ACTION_KINDS, KINDS
from app.mws.md5 import content_md5, verify_md5

__all__ = ["ACTION_KINDS", "KINDS", "Feed", "build_feed", "content_md5", "is_single", "normalize",
           "verify_md5"]
