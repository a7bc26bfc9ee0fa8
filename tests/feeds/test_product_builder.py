"""Specification of the Product envelope: Product.xsd's order, Delete with only the SKU, categories
mixed in one feed, the pass-through builder without MWS_XSD_DIR, and 422 paths naming the input."""
from __future__ import annotations

import pytest
from lxml import etree

from app.steps.products import build_product_feed, check_input, meta_model
from app.runtime.errors import InputInvalid
from tests.feeds.product_helpers import minimal

CFG = {"sellerId": "A1SELLER", "category": "Toys"}
TOYS = {"ProductType": {"ToysAndGames": {"Color": "red"}}, "AgeRecommendation": {
    "MinimumManufacturerAgeRecommended": {"value": 3, "unitOfMeasure": "years"}}}
PRODUCT = {
    "SKU": "TOY-1",
    "DescriptionData": {"Title": "Blocks", "BulletPoint": ["one", "two"], "Brand": "Acme"},
    "StandardProductID": {"Type": "EAN", "Value": "4006381333931"},
    "Condition": {"ConditionType": "New"},
    "LaunchDate": "2026-01-15T10:00:00.000 +0000",
    "ProductData": TOYS,
}


def _children(element: etree._Element) -> list[str]:
    return [child.tag for child in element]


def _product(body: bytes, n: int = 0) -> etree._Element:
    return etree.fromstring(body).findall("Message")[n]


def test_given_keys_in_any_order_when_building_with_the_xsd_then_product_and_product_data_follow_it(
        xsd_dir, assert_valid):
    reordered = {"ProductData": {"AgeRecommendation": TOYS["AgeRecommendation"],
                                 "ProductType": TOYS["ProductType"]}, **PRODUCT}
    feed = build_product_feed(reordered, CFG, from_payload=False, xsd_dir=xsd_dir)

    message = _product(assert_valid(feed.body) is not None and feed.body)
    product = message.find("Product")
    assert _children(message) == ["MessageID", "OperationType", "Product"]
    assert _children(product) == ["SKU", "StandardProductID", "LaunchDate", "Condition", "DescriptionData",
                                  "ProductData"]
    assert _children(product.find("DescriptionData")) == ["Title", "Brand", "BulletPoint", "BulletPoint"]
    assert _children(product.find("ProductData/Toys")) == ["ProductType", "AgeRecommendation"]
    assert product.findtext("LaunchDate") == "2026-01-15T10:00:00Z"
    age = product.find("ProductData/Toys/AgeRecommendation/MinimumManufacturerAgeRecommended")
    assert (age.text, age.get("unitOfMeasure")) == ("3", "years")


@pytest.mark.parametrize("operation", ["Delete", "PartialUpdate", "Update", "Upsert"])
def test_given_each_operation_when_building_then_the_envelope_is_valid(operation, xsd_dir, assert_valid):
    feed = build_product_feed({"messages": [PRODUCT]}, {**CFG, "operation": operation}, from_payload=False,
                              xsd_dir=xsd_dir)

    message = _product(feed.body)
    assert_valid(feed.body)
    assert message.findtext("OperationType") == ("Update" if operation == "Upsert" else operation)
    if operation == "Delete":
        assert _children(message.find("Product")) == ["SKU"]


def test_given_categories_in_the_payload_when_building_then_one_feed_mixes_them_and_validates(
        xsd_dir, assert_valid):
    def minimal_data(category: str) -> dict:
        return minimal(meta_model("submitProduct", {"category": category}, xsd_dir)["in"]["else"]["properties"]["ProductData"])

    messages = [{**PRODUCT, "category": "Toys"},
                {"SKU": "BOOK-1", "category": "Books", "ProductData": minimal_data("Books")},
                {"SKU": "GAME-1", "category": "SWVG", "ProductData": minimal_data("SWVG")}]

    feed = build_product_feed({"messages": messages}, {"sellerId": "S"}, from_payload=True, xsd_dir=xsd_dir)

    root = assert_valid(feed.body)
    assert [m.find("Product/ProductData")[0].tag for m in root.findall("Message")] == [
        "Toys", "Books", "SoftwareVideoGames"]
    assert root.find("Message/Product/category") is None


def test_given_no_xsd_dir_when_building_then_product_data_is_passed_through_in_the_given_order():
    data = {"Zeta": "1", "Alpha": {"Inner": ["a", "b"]}, "Weight": {"value": 2.5, "unitOfMeasure": "KG"}}
    product = {"ProductData": data, "DescriptionData": {"Brand": "Acme", "Title": "T"}, "SKU": "S1"}

    feed = build_product_feed(product, {**CFG, "category": "SWVG"}, from_payload=False, xsd_dir=None)

    written = _product(feed.body).find("Product")
    assert _children(written) == ["SKU", "DescriptionData", "ProductData"]
    assert _children(written.find("DescriptionData")) == ["Title", "Brand"]
    category = written.find("ProductData/SoftwareVideoGames")
    assert _children(category) == ["Zeta", "Alpha", "Weight"]
    assert [e.text for e in category.findall("Alpha/Inner")] == ["a", "b"]
    assert (category.findtext("Weight"), category.find("Weight").get("unitOfMeasure")) == ("2.5", "KG")


def _problems(body, cfg=CFG, **kwargs) -> dict[str, str]:
    with pytest.raises(InputInvalid) as raised:
        build_product_feed(body, cfg, **kwargs)
    return {p.path: p.message for p in raised.value.problems}


def test_given_a_wrong_product_data_field_when_validating_then_the_422_names_it_without_the_category(xsd_dir):
    bad = {**PRODUCT, "SKU": "CAM-2", "ProductData": {"ProductType": {"FilmCamera": {}}, "Color": "c" * 60}}
    messages = [{**PRODUCT, "ProductData": {"ProductType": {"FilmCamera": {}}}}, bad]

    problems = _problems({"messages": messages}, {**CFG, "category": "CameraPhoto"}, from_payload=False,
                         xsd_dir=xsd_dir)

    assert "msg.body.messages[1].ProductData.Color" in problems
    assert "c" * 60 not in problems["msg.body.messages[1].ProductData.Color"]


def test_given_six_bullet_points_and_no_product_type_when_validating_then_both_places_are_named(xsd_dir):
    product = {**PRODUCT, "DescriptionData": {"Title": "T", "BulletPoint": list("abcdef")},
               "ProductData": {"AgeRecommendation": {}}}

    problems = _problems(product, from_payload=False, xsd_dir=xsd_dir)

    assert "msg.body.DescriptionData.BulletPoint[5]" in problems
    assert "msg.body.ProductData.ProductType" in problems  # missing: named itself, not the sibling after it


def test_given_bad_dates_operation_and_categories_when_checking_then_each_is_named():
    body = {"messages": [{"SKU": "A", "LaunchDate": "soon"}, {"SKU": "B", "category": "Cars"}]}

    paths = {p.path for p in check_input(body, {"operation": "Merge"}, from_payload=True)}

    assert paths == {"cfg.operation", "msg.body.messages[0].LaunchDate", "msg.body.messages[0].category",
                     "msg.body.messages[1].category"}
