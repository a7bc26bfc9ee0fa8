"""The one entry point of feed building: input messages in, a Feed ready for SubmitFeed out."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.mws.md5 import content_md5

from .envelope import write_envelope
from .kinds import KINDS


@dataclass(frozen=True)
class Feed:
    body: bytes           # the exact bytes to send
    content_md5: str      # base64(md5(body)), for ContentMD5Value
    feed_type: str        # e.g. _POST_INVENTORY_AVAILABILITY_DATA_
    message_type: str     # e.g. Inventory (JSON for a JSON listings feed)
    count: int            # number of messages
    content_type: str = "text/xml; charset=UTF-8"  # sent with the bytes (SP-API uploads must match it)

    def __repr__(self) -> str:  # never dump a 10 MB body into a log line
        return (f"Feed({self.feed_type}, {self.count} messages, {len(self.body)} bytes,"
                f" md5={self.content_md5})")


def normalize(body: Any) -> list[dict]:
    """"One item or {"messages": [...]}" as a list of messages."""
    if isinstance(body, dict) and "messages" in body:
        return list(body["messages"] or [])
    return [body]


def is_single(body: Any) -> bool:
    """True when the body is one item (its fields at msg.body), not {"messages": [...]}."""
    return not (isinstance(body, dict) and "messages" in body)


def build_feed(
    kind: str,
    messages: Sequence[Any],  # dicts, or a builder's own message objects (ProductMessage)
    seller_id: str,
    *,
    xsd_dir: Path | None = None,
    single: bool = False,
) -> Feed:
    """Build the envelope of `kind` (a message type: Inventory, Price, ...) for `messages`.

    With `xsd_dir` (settings.mws_xsd_dir) the envelope is validated against amzn-envelope.xsd and
    InputInvalid names the offending messages[i].field; `single` says the input was one item, so
    problems are reported at msg.body.<field>.
    """
    spec = KINDS[kind]
    body, count = write_envelope(spec, messages, seller_id)
    if xsd_dir is not None:
        from .xsd import validate_envelope  # lxml schema compile only when asked for

        validate_envelope(body, xsd_dir, spec, single=single)
    return Feed(body, content_md5(body), spec.feed_type, spec.message_type, count)
