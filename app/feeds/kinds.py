"""The feed kinds as data: message type, FeedType, payload builder and field map of each.

One row per MWS message type this component sends; actions name the row through ACTION_KINDS.
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


def _kind(module: ModuleType, feed_type: str) -> Kind:
    operation = getattr(module, "operation", None)
    if operation is None:
        fixed = module.OPERATION
        operation = lambda message: fixed  # noqa: E731 - one constant per kind
    return Kind(module.MESSAGE_TYPE, feed_type, module.payload, operation, module.FIELDS)


KINDS: dict[str, Kind] = {
    kind.message_type: kind
    for kind in (
        _kind(order_acknowledgement, "_POST_ORDER_ACKNOWLEDGEMENT_DATA_"),
        _kind(inventory, "_POST_INVENTORY_AVAILABILITY_DATA_"),
        _kind(price, "_POST_PRODUCT_PRICING_DATA_"),
        _kind(product_image, "_POST_PRODUCT_IMAGE_DATA_"),
        _kind(relationship, "_POST_PRODUCT_RELATIONSHIP_DATA_"),
        _kind(product, "_POST_PRODUCT_DATA_"),
    )
}

# component.json action key -> message type
ACTION_KINDS: dict[str, str] = {
    "updateOrder": "OrderAcknowledgement",
    "updateItem": "Inventory",
    "submitInventory": "Inventory",
    "changeProductPrice": "Price",
    "changeProductImage": "ProductImage",
    "establishProductRelationships": "Relationship",
    "submitProduct": "Product",
    "submitProductCategoryFromPayload": "Product",
}
