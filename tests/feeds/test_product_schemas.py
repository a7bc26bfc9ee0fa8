"""Specification of the product schemas generated from the XSDs at run time (MWS_XSD_DIR): for every
category of the contract's table, a minimal product built from its schema validates as an envelope."""
from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from app.feeds.product import CATEGORIES
from app.steps.products import build_product_feed, meta_model, select_model
from app.feeds.xsd_jsonschema import translate_pattern
from tests.feeds.product_helpers import minimal

CFG = {"sellerId": "A1SELLER"}


def _draft3_required(node) -> bool:
    if isinstance(node, dict):
        return node.get("required") is True or any(_draft3_required(v) for v in node.values())
    if isinstance(node, list):
        return any(_draft3_required(v) for v in node)
    return False


def _minimal_product(schema: dict) -> dict:
    item = schema["else"]
    product = minimal(item)
    product["ProductData"] = minimal(item["properties"]["ProductData"])
    return product


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_given_each_category_when_a_minimal_product_is_built_from_its_schema_then_the_envelope_validates(
        category, xsd_dir, assert_valid):
    schema = meta_model("submitProduct", {"category": category}, xsd_dir)["in"]
    product = _minimal_product(schema)
    Draft202012Validator(schema).validate(product)
    Draft202012Validator(schema).validate({"messages": [product, product]})

    feed = build_product_feed({"messages": [product]}, {**CFG, "category": category}, from_payload=False,
                              xsd_dir=xsd_dir)

    root = assert_valid(feed.body)
    assert root.find("Message/Product/ProductData")[0].tag == CATEGORIES[category][1]
    assert feed.feed_type == "_POST_PRODUCT_DATA_"


@pytest.mark.parametrize("category", ["Toys", "SWVG", "CE"])
def test_given_a_category_when_asking_for_its_schema_then_it_is_draft_2020_12_without_draft3_required(
        category, xsd_dir):
    schema = meta_model("submitProduct", {"category": category}, xsd_dir)["in"]

    Draft202012Validator.check_schema(schema)
    assert not _draft3_required(schema)
    json.dumps(schema)  # plain JSON, servable as is


def test_given_the_toys_schema_then_units_are_value_objects_and_repeats_are_bounded_arrays(xsd_dir):
    item = meta_model("submitProduct", {"category": "Toys"}, xsd_dir)["in"]["else"]
    toys = item["properties"]["ProductData"]["properties"]
    description = item["properties"]["DescriptionData"]["properties"]

    assert toys["AssemblyTime"]["required"] == ["value", "unitOfMeasure"]
    assert "enum" in toys["AssemblyTime"]["properties"]["unitOfMeasure"]
    assert description["BulletPoint"]["type"] == "array" and description["BulletPoint"]["maxItems"] == 5
    assert item["required"] == ["SKU"]
    assert set(item["properties"]["StandardProductID"]["properties"]["Type"]["enum"]) >= {"ASIN", "EAN", "UPC", "GTIN", "ISBN"}


def test_given_the_payload_variant_then_category_chooses_the_product_data_schema(xsd_dir):
    schema = meta_model("submitProductCategoryFromPayload", {}, xsd_dir)["in"]
    validator = Draft202012Validator(schema)
    toys = {"SKU": "A", "category": "Toys", "ProductData": {"ProductType": {"ToysAndGames": {}}}}

    errors = list(validator.iter_errors(toys))
    assert [(e.validator, list(e.absolute_path)) for e in errors] == [("required", ["ProductData"])]
    assert "AgeRecommendation" in errors[0].validator_value
    assert list(validator.iter_errors({**toys, "category": "Books"})) != []
    assert list(validator.iter_errors({**toys, "category": "Nope"})) != []
    assert "category" in schema["else"]["required"]


def test_given_no_xsd_dir_or_no_category_when_asking_for_metadata_then_the_static_files_are_named():
    assert meta_model("submitProduct", {"category": "Toys"}, None)["in"]["$ref"] == "submitProduct.in.json"
    assert meta_model("submitProduct", {}, "unused")["in"]["$ref"] == "submitProduct.in.json"


def test_given_the_select_models_then_30_categories_with_labels_and_upsert_among_operations():
    categories = select_model("category", {})

    assert len(categories) == 30
    assert categories["SWVG"] == "Software and Video Games"
    assert categories["Wireless"] == "Cell Phones & Accessories (Wireless)"
    assert set(select_model("operation", {})) == {"Update", "Delete", "PartialUpdate", "Upsert"}


@pytest.mark.parametrize("xsd, expected", [
    (r"\d{4}", r"^(?:\d{4})$"),
    (r"[0-9]{4}|NV|nv", r"^(?:[0-9]{4}|NV|nv)$"),
    (r"[^@]+@[^@\.]+(\.[^@\.]+)+", r"^(?:[^@]+@[^@\.]+(\.[^@\.]+)+)$"),
    (r"[\p{IsBasicLatin}]*", None),
    (r"\w{3}-\w{7}", None),
])
def test_given_xsd_patterns_when_translating_then_they_are_anchored_or_left_out(xsd, expected):
    assert translate_pattern(xsd) == expected


@pytest.mark.parametrize("name, title", [
    ("ItemPackageQuantity", "Item package quantity"), ("MSRP", "MSRP"), ("MSRPWithTax", "MSRP with tax"),
    ("CPSIAWarning", "CPSIA warning"), ("IsGiftWrapAvailable", "Is gift wrap available"), ("PT1", "PT1"),
    ("BulletPoint", "Bullet point"), ("value", "Value"), ("unitOfMeasure", "Unit of measure"),
])
def test_given_an_xsd_element_name_when_titled_then_a_person_reads_it(name, title):
    from app.feeds.xsd_jsonschema import human_title

    assert human_title(name) == title
