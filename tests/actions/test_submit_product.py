"""Specification of the submitProduct and submitProductCategoryFromPayload step modules: the 422 check
(with and without MWS_XSD_DIR), dynamic metadata and select models, as the runtime calls them."""
from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from app.actions import submit_product, submit_product_category_from_payload as from_payload
from app.settings import Settings
from tests.conftest import SHARED, require_shared

CFG = {"sellerId": "A1SELLER", "category": "Toys", "operation": "Update"}
TOYS = {"SKU": "TOY-1", "ProductData": {"ProductType": {"ToysAndGames": {"Color": "c" * 60}},
                                        "AgeRecommendation": {}}}


@pytest.fixture(scope="module")
def with_xsd() -> Settings:
    folder = require_shared(SHARED / "amazon-reference" / "xsd" / "amzn-envelope.xsd").parent
    return Settings.from_env({"MWS_XSD_DIR": str(folder)})


def test_given_a_wrong_field_and_mws_xsd_dir_when_checking_then_the_problem_names_it(with_xsd):
    msg = {"body": {"messages": [{"SKU": "OK-1", "ProductData": {"ProductType": {"ToysAndGames": {}},
                                                                "AgeRecommendation": {}}}, TOYS]}}

    problems = submit_product.check(msg, CFG, with_xsd)

    assert [p.path for p in problems] == ["msg.body.messages[1].ProductData.ProductType.ToysAndGames.Color"]


def test_given_no_mws_xsd_dir_when_checking_then_product_data_is_left_to_amazon():
    assert submit_product.check({"body": TOYS}, CFG, Settings.from_env({})) == []


def test_given_the_payload_variant_without_category_when_checking_then_the_message_category_is_named(with_xsd):
    problems = from_payload.check({"body": TOYS}, {"sellerId": "S"}, with_xsd)

    assert [p.path for p in problems] == ["msg.body.category"]


def test_given_a_category_when_asking_for_metadata_then_the_schema_is_the_categorys(with_xsd, monkeypatch):
    monkeypatch.setenv("MWS_XSD_DIR", str(with_xsd.mws_xsd_dir))

    meta = submit_product.get_meta_model({"category": "SWVG"})

    Draft202012Validator.check_schema(meta["in"])
    assert "ProductType" in meta["in"]["else"]["properties"]["ProductData"]["properties"]
    assert meta["out"]["$ref"] == "submitProduct.out.json"


def test_given_both_modules_when_selecting_then_categories_and_operations_are_offered():
    for module in (submit_product, from_payload):
        assert len(module.select_model("category", {})) == 30
        assert "Upsert" in module.select_model("operation", {})
