"""The XML message types as data: message type, FeedType, payload builder and field map of each.

One row per builder module (inventory.py, price.py, ...), which declares its own MESSAGE_TYPE and
FEED_TYPE; a feed action names the builder module it sends (app/actions/update_item.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Mapping

from lxml import etree

from . import inventory, order_acknowledgement, price, product, product_image, relationship


@dataclass(frozen=True)
class Kind:
    message_type: str                                   # envelope <MessageType> and payload element
    feed_type: str                                      # SubmitFeed FeedType
    payload: Callable[[etree._Element, dict], None]     # appends the payload element to <Message>
    operation: Callable[[dict], str | None]             # the message's <OperationType>, None: omitted
    fields: Mapping[str, str]                           # XSD path below the payload -> input key


def kind_of(module: ModuleType) -> Kind:
    """The Kind a builder module declares."""
    operation = getattr(module, "operation", None)
    if operation is None:
        fixed = module.OPERATION

        def operation(message: dict) -> str | None:
            return fixed
    return Kind(module.MESSAGE_TYPE, module.FEED_TYPE, module.payload, operation, module.FIELDS)


KINDS: dict[str, Kind] = {
    kind.message_type: kind
    for kind in map(kind_of, (order_acknowledgement, inventory, price, product_image, relationship, product))
}
