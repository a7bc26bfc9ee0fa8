"""Relationship message payload (Relationship.xsd): a parent SKU and its related child SKUs.

XSD sequence: ParentSKU, Relation+ = (SKU, Type).
"""
from __future__ import annotations

from lxml import etree

from .elements import SubElement, add

MESSAGE_TYPE = "Relationship"
FEED_TYPE = "_POST_PRODUCT_RELATIONSHIP_DATA_"  # SubmitFeed FeedType
OPERATION = "Update"

FIELDS = {
    "ParentSKU": "ParentSKU",
    "Relation": "Relation[]",
    "Relation/SKU": "Relation[].SKU",
    "Relation/Type": "Relation[].Type",
}


def payload(message_element: etree._Element, message: dict) -> None:
    relationship = SubElement(message_element, "Relationship")
    add(relationship, "ParentSKU", message.get("ParentSKU"))
    for relation in message.get("Relation") or ():
        element = SubElement(relationship, "Relation")
        add(element, "SKU", relation.get("SKU"))
        add(element, "Type", relation.get("Type"))
