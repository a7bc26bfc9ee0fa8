"""Specification of the AmazonEnvelope every feed shares, and of build_feed's Feed."""
from __future__ import annotations

import base64
import hashlib

import pytest
from lxml import etree

from app.feeds import KINDS, build_feed, is_single, normalize

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _inventory(count: int) -> list[dict]:
    return [{"SKU": f"SKU-{i}", "Quantity": i} for i in range(count)]


def test_given_messages_when_building_then_envelope_children_follow_the_xsd_sequence():
    feed = build_feed("Inventory", _inventory(2), "A1SELLER")

    root = etree.fromstring(feed.body)

    assert root.tag == "AmazonEnvelope"
    assert [child.tag for child in root] == ["Header", "MessageType", "Message", "Message"]
    assert [child.tag for child in root.find("Header")] == ["DocumentVersion", "MerchantIdentifier"]
    assert root.findtext("Header/DocumentVersion") == "1.01"
    assert root.findtext("Header/MerchantIdentifier") == "A1SELLER"
    assert root.findtext("MessageType") == "Inventory"
    assert root.get(f"{{{XSI}}}noNamespaceSchemaLocation") == "amzn-envelope.xsd"
    assert [c.tag for c in root.find("Message")] == ["MessageID", "OperationType", "Inventory"]


def test_given_three_messages_when_building_then_message_ids_count_from_one():
    feed = build_feed("Inventory", _inventory(3), "S")

    root = etree.fromstring(feed.body)

    assert [m.findtext("MessageID") for m in root.iter("Message")] == ["1", "2", "3"]
    assert feed.count == 3


def test_given_umlauts_and_ampersand_when_building_then_bytes_are_utf8_with_a_declaration_and_escaped():
    feed = build_feed("Inventory", [{"SKU": "Müller & Söhne <1>", "Quantity": 1}], "S")

    assert feed.body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "Müller &amp; Söhne &lt;1&gt;".encode("utf-8") in feed.body
    assert etree.fromstring(feed.body).findtext(".//SKU") == "Müller & Söhne <1>"


def test_given_a_feed_when_built_then_content_md5_is_base64_of_md5_of_the_exact_bytes():
    feed = build_feed("Inventory", _inventory(2), "S")

    assert feed.content_md5 == base64.b64encode(hashlib.md5(feed.body).digest()).decode()


@pytest.mark.parametrize(
    ("kind", "feed_type", "operation"),
    [
        ("OrderAcknowledgement", "_POST_ORDER_ACKNOWLEDGEMENT_DATA_", None),
        ("Inventory", "_POST_INVENTORY_AVAILABILITY_DATA_", "Update"),
        ("Price", "_POST_PRODUCT_PRICING_DATA_", "Update"),
        ("ProductImage", "_POST_PRODUCT_IMAGE_DATA_", "Update"),
        ("Relationship", "_POST_PRODUCT_RELATIONSHIP_DATA_", "Update"),
    ],
)
def test_given_each_kind_when_looked_up_then_feed_type_and_default_operation_are_amazons(kind, feed_type, operation):
    assert KINDS[kind].feed_type == feed_type
    assert KINDS[kind].message_type == kind
    assert KINDS[kind].operation({}) == operation


def test_given_one_item_or_messages_when_normalizing_then_a_list_of_messages_comes_out():
    item = {"SKU": "A", "Quantity": 1}

    assert normalize(item) == [item]
    assert normalize({"messages": [item, item]}) == [item, item]
    assert is_single(item) and not is_single({"messages": [item]})


def test_given_a_feed_when_repr_then_the_body_is_not_dumped():
    feed = build_feed("Inventory", [{"SKU": "secret-ish", "Quantity": 1}], "S")

    assert "secret-ish" not in repr(feed)
