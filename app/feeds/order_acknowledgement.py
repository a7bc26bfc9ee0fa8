"""OrderAcknowledgement message payload (OrderAcknowledgement.xsd): accept or refuse an order.

XSD sequence: AmazonOrderID, MerchantOrderID?, StatusCode, Item* = (AmazonOrderItemCode,
MerchantOrderItemID?, CancelReason?). An input message with an `amazonOrderItemCode` becomes one
<Item>. Amazon's own examples send no OperationType for this message type, so neither do we.
"""
from __future__ import annotations

from lxml import etree

from .elements import SubElement, add, add_optional

MESSAGE_TYPE = "OrderAcknowledgement"
FEED_TYPE = "_POST_ORDER_ACKNOWLEDGEMENT_DATA_"  # SubmitFeed FeedType
OPERATION = None

FIELDS = {
    "AmazonOrderID": "amazonOrderID",
    "MerchantOrderID": "merchantOrderID",
    "StatusCode": "statusCode",
    "Item": "amazonOrderItemCode",
    "Item/AmazonOrderItemCode": "amazonOrderItemCode",
    "Item/MerchantOrderItemID": "merchantOrderItemID",
}


def payload(message_element: etree._Element, message: dict) -> None:
    ack = SubElement(message_element, "OrderAcknowledgement")
    add(ack, "AmazonOrderID", message.get("amazonOrderID"))
    add_optional(ack, "MerchantOrderID", message, "merchantOrderID")
    add(ack, "StatusCode", message.get("statusCode"))
    if message.get("amazonOrderItemCode"):
        item = SubElement(ack, "Item")
        add(item, "AmazonOrderItemCode", message["amazonOrderItemCode"])
        add_optional(item, "MerchantOrderItemID", message, "merchantOrderItemID")
