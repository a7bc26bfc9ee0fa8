"""JSON listings feeds (sp-api.md §5): each action's document follows the mapping table and is valid
against Amazon's listings-feed-schema-v2.json (read from ../shared, never shipped); what the feed
cannot carry is a 422 at the input's own path."""
from __future__ import annotations

import json

import jsonschema
import pytest

from app.feeds import listings
from app.feeds.listings_report import ReportUnreadable, parse_listings_report
from app.mws.md5 import content_md5
from app.runtime.errors import InputInvalid
from tests.conftest import SHARED, require_shared

FEED_SCHEMAS = SHARED / "amazon-reference" / "sp-api" / "json-listings-feed"
CFG = {"sellerId": "A1SANDBOXSELLER", "marketplaceId": "ATVPDKIKX0DER"}


@pytest.fixture(scope="module")
def amazon_schema():
    path = require_shared(FEED_SCHEMAS / "listings-feed-schema-v2.json")
    return jsonschema.Draft7Validator(json.loads(path.read_text()))


def document(builder, messages, cfg=CFG, single=False):
    feed = listings.listings_feed(builder, messages, cfg, single=single)
    assert feed.content_md5 == content_md5(feed.body) and feed.feed_type == "JSON_LISTINGS_FEED"
    assert feed.content_type == "application/json; charset=UTF-8"
    return json.loads(feed.body)


def valid(validator, doc):
    assert [e.message[:200] for e in validator.iter_errors(doc)] == []
    return doc


def test_given_inventory_items_when_built_then_fulfillment_availability_patches_and_a_valid_document(amazon_schema):
    doc = valid(amazon_schema, document(listings.inventory, [
        {"SKU": "A", "Quantity": 5, "FulfillmentLatency": 2, "RestockDate": "2026-12-24"},
        {"SKU": "B", "Available": True, "productType": "LUGGAGE"}]))
    assert doc["header"] == {"sellerId": "A1SANDBOXSELLER", "version": "2.0", "issueLocale": "en_US"}
    first, second = doc["messages"]
    assert first == {"messageId": 1, "sku": "A", "operationType": "PATCH", "productType": "PRODUCT", "patches": [
        {"op": "replace", "path": "/attributes/fulfillment_availability", "value": [
            {"fulfillment_channel_code": "DEFAULT", "quantity": 5, "lead_time_to_ship_max_days": 2,
             "restock_date": "2026-12-24"}]}]}
    assert second["messageId"] == 2 and second["productType"] == "LUGGAGE"
    assert second["patches"][0]["value"] == [{"fulfillment_channel_code": "DEFAULT", "is_inventory_available": True}]


def test_given_a_switch_to_amazon_fulfilment_when_built_then_422_at_that_field():
    with pytest.raises(InputInvalid) as caught:
        listings.listings_feed(listings.inventory, [{"SKU": "A", "Quantity": 1},
                                                    {"SKU": "B", "Quantity": 1, "SwitchFulfillmentTo": "AFN"}],
                               CFG, single=False)
    assert [p.path for p in caught.value.problems] == ["msg.body.messages[1].SwitchFulfillmentTo"]


def test_given_prices_when_built_then_purchasable_offer_with_sale_and_bounds(amazon_schema):
    doc = valid(amazon_schema, document(listings.price, [{
        "SKU": "A", "StandardPrice": {"value": "19.99", "currency": "USD"},
        "SalePrice": {"value": 15, "currency": "USD", "StartDate": "2026-12-01T00:00:00Z",
                      "EndDate": "2026-12-31T00:00:00Z"},
        "MinimumSellerAllowedPrice": {"value": "10.00", "currency": "USD"},
        "MaximumSellerAllowedPrice": {"value": "30", "currency": "USD"}}], single=True))
    (patch,) = doc["messages"][0]["patches"]
    assert patch["path"] == "/attributes/purchasable_offer"
    assert patch["value"] == [{
        "marketplace_id": "ATVPDKIKX0DER", "currency": "USD",
        "our_price": [{"schedule": [{"value_with_tax": 19.99}]}],
        "discounted_price": [{"schedule": [{"value_with_tax": 15, "start_at": "2026-12-01T00:00:00Z",
                                            "end_at": "2026-12-31T00:00:00Z"}]}],
        "minimum_seller_allowed_price": [{"schedule": [{"value_with_tax": 10}]}],
        "maximum_seller_allowed_price": [{"schedule": [{"value_with_tax": 30}]}]}]


@pytest.mark.parametrize("image_type, attribute", [("Main", "main_product_image_locator"),
                                                    ("PT3", "other_product_image_locator_3"),
                                                    ("Swatch", "swatch_product_image_locator")])
def test_given_images_when_built_then_locators_replaced_or_deleted(amazon_schema, image_type, attribute):
    doc = valid(amazon_schema, document(listings.image, [
        {"SKU": "A", "ImageType": image_type, "ImageLocation": "https://example.com/a.jpg"},
        {"SKU": "A", "ImageType": image_type, "operation": "Delete"}]))
    put, delete = (m["patches"][0] for m in doc["messages"])
    assert put == {"op": "replace", "path": f"/attributes/{attribute}",
                   "value": [{"marketplace_id": "ATVPDKIKX0DER", "media_location": "https://example.com/a.jpg"}]}
    assert delete["op"] == "delete" and delete["path"] == f"/attributes/{attribute}"


def test_given_an_image_type_json_listings_has_no_attribute_for_when_built_then_422():
    with pytest.raises(InputInvalid) as caught:
        listings.listings_feed(listings.image, [{"SKU": "A", "ImageType": "PFUK", "ImageLocation": "https://x/y"}],
                               CFG, single=True)
    assert [p.path for p in caught.value.problems] == ["msg.body.ImageType"]


def test_given_a_parent_with_two_variations_when_built_then_one_message_for_the_parent_and_one_per_child(
        amazon_schema):
    doc = valid(amazon_schema, document(listings.relationship, [{
        "ParentSKU": "P", "variationTheme": "SIZE/COLOR",
        "Relation": [{"SKU": "C1", "Type": "Variation"}, {"SKU": "C2", "Type": "Variation"}]}]))
    parent, *children = doc["messages"]
    assert parent["sku"] == "P" and [m["sku"] for m in children] == ["C1", "C2"]
    assert parent["patches"] == [
        {"op": "replace", "path": "/attributes/parentage_level",
         "value": [{"marketplace_id": "ATVPDKIKX0DER", "value": "parent"}]},
        {"op": "replace", "path": "/attributes/variation_theme", "value": [{"name": "SIZE/COLOR"}]}]
    assert children[0]["patches"][0]["value"] == [{"marketplace_id": "ATVPDKIKX0DER",
                                                   "child_relationship_type": "variation", "parent_sku": "P"}]
    assert children[1]["patches"][1]["value"] == [{"marketplace_id": "ATVPDKIKX0DER", "value": "child"}]
    assert [m["messageId"] for m in doc["messages"]] == [1, 2, 3]


def test_given_an_accessory_relation_when_built_then_422_at_its_type():
    with pytest.raises(InputInvalid) as caught:
        listings.listings_feed(listings.relationship, [
            {"ParentSKU": "P", "Relation": [{"SKU": "C1", "Type": "Variation"}, {"SKU": "C2", "Type": "Accessory"}]}],
            CFG, single=False)
    assert [p.path for p in caught.value.problems] == ["msg.body.messages[0].Relation[1].Type"]


@pytest.mark.parametrize("operation, expected", [("Update", "UPDATE"), ("PartialUpdate", "PARTIAL_UPDATE"),
                                                 ("Delete", "DELETE"), ("Upsert", "UPDATE")])
def test_given_products_when_built_then_the_operation_maps_and_attributes_go_as_they_are(
        amazon_schema, operation, expected):
    cfg = {**CFG, "operation": operation, "category": "LUGGAGE"}
    attributes = {"item_name": [{"value": "Suitcase", "marketplace_id": "ATVPDKIKX0DER"}]}
    doc = valid(amazon_schema, document(listings.product, [{"SKU": "A", "attributes": attributes}], cfg=cfg))
    (message,) = doc["messages"]
    assert message["operationType"] == expected
    if expected == "DELETE":
        assert message == {"messageId": 1, "sku": "A", "operationType": "DELETE"}
    else:
        assert message["productType"] == "LUGGAGE" and message["attributes"] == attributes


def test_given_a_product_without_attributes_or_type_when_built_then_422_at_each():
    with pytest.raises(InputInvalid) as caught:
        listings.listings_feed(listings.product, [{"SKU": "A"}], {**CFG, "operation": "Update"}, single=True)
    assert [p.path for p in caught.value.problems] == ["msg.body.productType", "msg.body.attributes"]


def test_given_more_than_25000_listings_messages_when_built_then_422_at_messages():
    with pytest.raises(InputInvalid) as caught:
        listings.listings_feed(listings.inventory, [{"SKU": f"S{i}", "Quantity": 1} for i in range(25_001)],
                               CFG, single=False)
    assert [p.path for p in caught.value.problems] == ["msg.body.messages"]


def test_given_amazons_example_report_when_mapped_then_the_processing_report_shape():
    path = require_shared(FEED_SCHEMAS / "listings-feed-processing-report-schema-v2.example.json")
    report = parse_listings_report(path.read_bytes())
    assert report["statusCode"] == "Complete"
    assert (report["messagesProcessed"], report["messagesSuccessful"]) == (4, 2)
    assert (report["messagesWithError"], report["messagesWithWarning"]) == (2, 0)
    assert report["results"][0] == {"messageId": 4, "resultCode": "Error", "resultMessageCode": "90220",
                                    "resultDescription": "'[batteries_required]' is required but not supplied.",
                                    "sku": "My-SKU-B"}
    assert report["results"][2]["attributeName"] == "purchasable_offer.our_price"


def test_given_a_feed_level_issue_when_mapped_then_message_id_0_counted_nowhere():
    raw = json.dumps({"summary": {"messagesProcessed": 1, "messagesAccepted": 1},
                      "issues": [{"code": "4000", "severity": "WARNING", "message": "feed-wide"}]}).encode()
    report = parse_listings_report(raw)
    assert report["results"][0]["messageId"] == 0 and report["messagesWithWarning"] == 0


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'{"summary": {"messagesProcessed": "' + b"9" * 5000 + b'"}}',
                                 b'{"summary": {"messagesProcessed": -1}}', b'{"issues": [{"messageId": {}}]}'])
def test_given_a_report_that_is_not_amazons_json_when_mapped_then_malformed_not_retried(raw):
    with pytest.raises(ReportUnreadable) as caught:
        parse_listings_report(raw)
    assert caught.value.code == "MalformedResponse" and caught.value.retriable is False
