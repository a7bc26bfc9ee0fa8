"""Inventory message payload (Inventory.xsd): quantity or availability of one SKU.

XSD sequence: SKU, FulfillmentCenterID?, (Available | Quantity | Lookup), RestockDate?,
FulfillmentLatency?, SwitchFulfillmentTo?. Used by updateItem and submitInventory.
"""
from __future__ import annotations

from lxml import etree

from .elements import SubElement, add, add_optional

MESSAGE_TYPE = "Inventory"
FEED_TYPE = "_POST_INVENTORY_AVAILABILITY_DATA_"  # SubmitFeed FeedType
OPERATION = "Update"

# XSD element path (below <Inventory>) -> input key, to name the field of an XSD error.
FIELDS = {
    "SKU": "SKU",
    "FulfillmentCenterID": "FulfillmentCenterID",
    "Available": "Available",
    "Quantity": "Quantity",
    "RestockDate": "RestockDate",
    "FulfillmentLatency": "FulfillmentLatency",
    "SwitchFulfillmentTo": "SwitchFulfillmentTo",
}


def payload(message_element: etree._Element, message: dict) -> None:
    inventory = SubElement(message_element, "Inventory")
    add(inventory, "SKU", message.get("SKU"))
    add_optional(inventory, "FulfillmentCenterID", message, "FulfillmentCenterID")
    # The XSD allows exactly one of these; the input schema refuses both, Quantity wins otherwise.
    if message.get("Quantity") is not None:
        add(inventory, "Quantity", message["Quantity"])
    elif message.get("Available") is not None:
        add(inventory, "Available", message["Available"])
    add_optional(inventory, "RestockDate", message, "RestockDate")
    add_optional(inventory, "FulfillmentLatency", message, "FulfillmentLatency")
    add_optional(inventory, "SwitchFulfillmentTo", message, "SwitchFulfillmentTo")
