"""Specification of the payload builders: each validates against amzn-envelope.xsd, in XSD order."""
from __future__ import annotations

import pytest
from lxml import etree

from app.feeds import build_feed

SALE = {"value": "7.5", "currency": "EUR", "StartDate": "2026-01-01T00:00:00Z", "EndDate": "2026-02-01T00:00:00+0100"}

VALID = {
    "OrderAcknowledgement": [
        {"amazonOrderID": "902-3159896-1390916", "merchantOrderID": "M-1", "statusCode": "Success",
         "amazonOrderItemCode": "12345678901234", "merchantOrderItemID": "MI-1"},
        {"amazonOrderID": "058-1233752-8214740", "statusCode": "Failure"},
    ],
    "Inventory": [
        {"SKU": "A", "Quantity": 5, "FulfillmentLatency": 2, "RestockDate": "2026-03-01", "SwitchFulfillmentTo": "MFN"},
        {"SKU": "B", "Available": False},
        {"SKU": "C", "Quantity": 0},
    ],
    "Price": [
        {"SKU": "A", "StandardPrice": {"value": 19.99, "currency": "EUR"}, "SalePrice": SALE,
         "MinimumSellerAllowedPrice": {"value": 10, "currency": "EUR"},
         "MaximumSellerAllowedPrice": {"value": "30.00", "currency": "EUR"}},
        {"SKU": "B", "StandardPrice": {"value": "1000", "currency": "JPY"}},
    ],
    "ProductImage": [
        {"SKU": "A", "ImageType": "Main", "ImageLocation": "https://example.com/a.jpg?x=1&y=2"},
        {"SKU": "A", "ImageType": "PT8", "ImageLocation": "https://example.com/b.jpg", "operation": "Update"},
        {"SKU": "A", "ImageType": "Swatch", "operation": "Delete"},
    ],
    "Relationship": [
        {"ParentSKU": "P", "Relation": [{"SKU": "C1", "Type": "Variation"}, {"SKU": "C2", "Type": "Accessory"}]},
    ],
}


def _payloads(body: bytes, tag: str) -> list[etree._Element]:
    return etree.fromstring(body).findall(f"Message/{tag}")


@pytest.mark.parametrize("kind", sorted(VALID))
def test_given_valid_input_when_building_each_kind_then_the_envelope_validates_against_the_xsd(kind, assert_valid):
    feed = build_feed(kind, VALID[kind], "A1SELLER")

    root = assert_valid(feed.body)

    assert root.findtext("MessageType") == kind
    assert feed.count == len(VALID[kind])


@pytest.mark.parametrize("kind", sorted(VALID))
def test_given_xsd_dir_when_building_valid_input_then_no_problem_is_raised(kind, xsd_dir):
    build_feed(kind, VALID[kind], "A1SELLER", xsd_dir=xsd_dir)


def test_given_inventory_when_building_then_fields_follow_the_xsd_sequence():
    inventory = _payloads(build_feed("Inventory", VALID["Inventory"], "S").body, "Inventory")

    assert [c.tag for c in inventory[0]] == ["SKU", "Quantity", "RestockDate", "FulfillmentLatency", "SwitchFulfillmentTo"]
    assert [(c.tag, c.text) for c in inventory[1]] == [("SKU", "B"), ("Available", "false")]


def test_given_prices_when_building_then_currency_is_an_attribute_and_sale_holds_dates_then_price():
    price = _payloads(build_feed("Price", VALID["Price"], "S").body, "Price")[0]

    assert [c.tag for c in price] == ["SKU", "StandardPrice", "MinimumSellerAllowedPrice",
                                      "MaximumSellerAllowedPrice", "Sale"]
    assert (price.findtext("StandardPrice"), price.find("StandardPrice").get("currency")) == ("19.99", "EUR")
    sale = price.find("Sale")
    assert [c.tag for c in sale] == ["StartDate", "EndDate", "SalePrice"]
    assert sale.findtext("EndDate") == "2026-01-31T23:00:00Z"  # sent in UTC Z form
    assert (sale.findtext("SalePrice"), sale.find("SalePrice").get("currency")) == ("7.5", "EUR")


def test_given_sale_dates_finer_than_milliseconds_when_building_then_amazon_gets_milliseconds_and_the_xsd_accepts(
        assert_valid):
    sale = {**SALE, "StartDate": "2026-01-01T00:00:00.123456 +0000", "EndDate": "2026-02-01T00:00:00.000+01:00"}
    body = build_feed("Price", [{**VALID["Price"][0], "SalePrice": sale}], "S").body
    sent = _payloads(body, "Price")[0].find("Sale")

    assert (sent.findtext("StartDate"), sent.findtext("EndDate")) == ("2026-01-01T00:00:00.123Z", "2026-01-31T23:00:00Z")
    assert_valid(body)


def test_given_image_delete_when_building_then_operation_is_delete_and_no_image_location_is_sent():
    root = etree.fromstring(build_feed("ProductImage", VALID["ProductImage"], "S").body)
    messages = root.findall("Message")

    assert [m.findtext("OperationType") for m in messages] == ["Update", "Update", "Delete"]
    assert [c.tag for c in messages[0].find("ProductImage")] == ["SKU", "ImageType", "ImageLocation"]
    assert messages[0].findtext("ProductImage/ImageLocation") == "https://example.com/a.jpg?x=1&y=2"
    assert messages[2].find("ProductImage/ImageLocation") is None


def test_given_relations_when_building_then_parent_comes_first_and_each_relation_is_sku_then_type():
    relationship = _payloads(build_feed("Relationship", VALID["Relationship"], "S").body, "Relationship")[0]

    assert [c.tag for c in relationship] == ["ParentSKU", "Relation", "Relation"]
    assert [(r.findtext("SKU"), r.findtext("Type")) for r in relationship.findall("Relation")] == [
        ("C1", "Variation"), ("C2", "Accessory")]


def test_given_order_ack_with_item_code_when_building_then_one_item_and_no_operation_type():
    root = etree.fromstring(build_feed("OrderAcknowledgement", VALID["OrderAcknowledgement"], "S").body)
    first, second = root.findall("Message")

    assert [c.tag for c in first] == ["MessageID", "OrderAcknowledgement"]
    assert [c.tag for c in first.find("OrderAcknowledgement")] == [
        "AmazonOrderID", "MerchantOrderID", "StatusCode", "Item"]
    assert [c.tag for c in first.find("OrderAcknowledgement/Item")] == ["AmazonOrderItemCode", "MerchantOrderItemID"]
    assert second.find("OrderAcknowledgement/Item") is None


def test_given_30000_inventory_messages_when_building_then_every_message_is_written(assert_valid):
    messages = [{"SKU": f"SKU-{i:05d}", "Quantity": i % 7} for i in range(30_000)]

    feed = build_feed("Inventory", messages, "S")

    root = assert_valid(feed.body)
    assert feed.count == 30_000
    assert root[-1].findtext("MessageID") == "30000"
