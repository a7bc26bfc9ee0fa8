"""ProductImage message payload (ProductImage.xsd): set or delete one image of a SKU.

XSD sequence: SKU, ImageType, ImageLocation?. The message's OperationType is the input's
`operation` (Update by default); a Delete carries no ImageLocation.
"""
from __future__ import annotations

from lxml import etree

from .elements import SubElement, add

MESSAGE_TYPE = "ProductImage"
FEED_TYPE = "_POST_PRODUCT_IMAGE_DATA_"  # SubmitFeed FeedType

FIELDS = {
    "OperationType": "operation",
    "SKU": "SKU",
    "ImageType": "ImageType",
    "ImageLocation": "ImageLocation",
}


def operation(message: dict) -> str:
    return message.get("operation") or "Update"


def payload(message_element: etree._Element, message: dict) -> None:
    image = SubElement(message_element, "ProductImage")
    add(image, "SKU", message.get("SKU"))
    add(image, "ImageType", message.get("ImageType"))
    if operation(message) != "Delete" and message.get("ImageLocation") is not None:
        add(image, "ImageLocation", message["ImageLocation"])
