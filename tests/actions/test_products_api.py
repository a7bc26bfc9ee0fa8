"""Specification of submitProduct and submitProductCategoryFromPayload over the step API, against the
in-process sandbox on a virtual clock, with MWS_XSD_DIR set (generated category schemas, envelope
validated before submission) and without it (static schemas, Amazon's report carries the errors)."""
from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from feeds.product_helpers import minimal
from products_helpers import (  # noqa: F401  (make_product_service, product_xsd_dir: fixtures)
    catalog, execute, make_product_service, metadata, product_cfg, product_xsd_dir, run, select, submits,
    the_data,
)

SUBMIT = "submitProduct"
FROM_PAYLOAD = "submitProductCategoryFromPayload"


def data_schema(meta: dict[str, Any]) -> dict[str, Any]:
    """The served ProductData schema of one product (the `else` branch: a single item)."""
    return meta["in"]["else"]["properties"]["ProductData"]


async def toy(svc, sku: str, title: str = "Wooden train set") -> dict[str, Any]:
    """A valid Toys product: the minimal instance of the served schema, with a Title."""
    meta = await metadata(svc, SUBMIT, product_cfg("Toys"))
    return {"SKU": sku, "DescriptionData": {"Title": title}, "ProductData": minimal(data_schema(meta))}


async def out_validator(svc, key: str = SUBMIT) -> jsonschema.Draft202012Validator:
    return await svc.out_validator("actions", key)


def report_of(result: dict[str, Any]) -> dict[str, Any]:
    return the_data(result)["processingReport"]


# -- metadata and select models -----------------------------------------------------------------

async def test_given_mws_xsd_dir_when_posting_metadata_with_a_category_then_the_categorys_schema_is_served(
        make_product_service):
    svc = await make_product_service()

    meta = await metadata(svc, SUBMIT, product_cfg("Toys"))

    jsonschema.Draft202012Validator.check_schema(meta["in"])
    product_data = data_schema(meta)
    assert {"ProductType", "AgeRecommendation"} <= set(product_data["required"])
    assert "ToysAndGames" in product_data["properties"]["ProductType"]["properties"]
    assert "Toys" in meta["in"]["title"] or "Toys" in product_data["title"]
    assert "$ref" not in str(meta)  # every $ref resolved
    assert meta["out"] == (await svc.client.get(f"/actions/{SUBMIT}/metadata?view=full")).json()["out"]


async def test_given_an_unknown_category_when_posting_metadata_then_422_names_cfg_category(make_product_service):
    svc = await make_product_service()
    for category in ("Nope", 5):
        response = await svc.client.post(f"/actions/{SUBMIT}/metadata", json={"cfg": product_cfg(category)})
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["path"] == "cfg.category" and "Nope" not in response.text


async def test_given_no_mws_xsd_dir_when_posting_metadata_then_the_static_fallback_schema_is_served(
        make_product_service):
    svc = await make_product_service(xsd=False)

    meta = await metadata(svc, SUBMIT, product_cfg("Toys"))

    static = (await svc.client.get(f"/actions/{SUBMIT}/metadata?view=full")).json()
    assert meta == static
    assert "The static fallback" in static["in"].get("$comment", "")


async def test_given_the_payload_variant_when_posting_metadata_then_category_chooses_the_product_data(
        make_product_service):
    svc = await make_product_service()

    meta = await metadata(svc, FROM_PAYLOAD, product_cfg())

    item = meta["in"]["else"]
    assert "category" in item["required"]
    assert len(item["properties"]["category"]["enum"]) == 30
    validator = jsonschema.Draft202012Validator(meta["in"])
    toys_data = {"ProductType": {"ToysAndGames": {}}, "AgeRecommendation": {}}
    assert validator.is_valid({"SKU": "A", "category": "Toys", "ProductData": toys_data})
    assert not validator.is_valid({"SKU": "A", "category": "Beauty", "ProductData": toys_data})


async def test_given_both_actions_when_selecting_category_and_operation_then_30_labelled_categories_and_4_operations(
        make_product_service):
    svc = await make_product_service()

    for key in (SUBMIT, FROM_PAYLOAD):
        operations = await select(svc, key, "operation")
        assert set(operations) == {"Update", "PartialUpdate", "Delete", "Upsert"}
    categories = await select(svc, SUBMIT, "category")

    assert len(categories) == 30
    assert categories["Toys"] == "Toys & Games"
    assert categories["SWVG"] == "Software and Video Games"
    assert categories["LabSupplies"] == "Industrial & Scientific: Lab & Scientific Supplies"


# -- submitProduct with MWS_XSD_DIR -------------------------------------------------------------

async def test_given_mws_xsd_dir_and_a_valid_toy_when_submitting_then_done_and_the_sandbox_catalog_has_it(
        make_product_service):
    svc = await make_product_service()
    product = await toy(svc, "TOY-NEW-1", "Wooden train set")

    result = await run(svc, SUBMIT, product, product_cfg("Toys"))

    assert result["outcome"] == "ok", result
    body = the_data(result)
    assert body["feedProcessingStatus"] == "_DONE_"
    assert body["feedType"] == "_POST_PRODUCT_DATA_"
    assert report_of(result)["messagesSuccessful"] == 1 and report_of(result)["messagesWithError"] == 0
    (await out_validator(svc)).validate(body)
    assert result["snapshot"] == {}
    item = catalog(svc)["TOY-NEW-1"]
    assert (item["title"], item["category"]) == ("Wooden train set", "Toys")
    (sent,) = submits(svc)
    assert b"<Toys>" in sent.body and b"<MessageType>Product</MessageType>" in sent.body


async def test_given_a_wrong_product_data_field_when_submitting_then_422_names_it_and_nothing_is_sent(
        make_product_service):
    svc = await make_product_service()
    product = await toy(svc, "TOY-BAD-1")
    product["ProductData"]["Colour"] = "crimson"

    response = await execute(svc, SUBMIT, product, product_cfg("Toys"))

    assert response.status_code == 422, response.text
    assert [p["path"] for p in response.json()["detail"]] == ["msg.body.ProductData.Colour"]
    assert "crimson" not in response.text
    assert submits(svc) == [] and svc.calls == []


async def test_given_a_wrong_field_in_the_second_message_when_submitting_then_422_names_its_index(
        make_product_service):
    svc = await make_product_service()
    good, bad = await toy(svc, "TOY-OK-1"), await toy(svc, "TOY-BAD-2")
    bad["ProductData"]["ProductType"]["ToysAndGames"]["Color"] = "c" * 60  # Color is a 50-character string

    response = await execute(svc, SUBMIT, {"messages": [good, bad]}, product_cfg("Toys"))

    assert response.status_code == 422, response.text
    assert [p["path"] for p in response.json()["detail"]] == [
        "msg.body.messages[1].ProductData.ProductType.ToysAndGames.Color"]
    assert svc.calls == []


async def test_given_product_data_without_a_required_child_when_submitting_then_422_names_the_missing_child(
        make_product_service):
    svc = await make_product_service()
    product = await toy(svc, "TOY-BAD-3")
    del product["ProductData"]["ProductType"]

    response = await execute(svc, SUBMIT, product, product_cfg("Toys"))

    assert response.status_code == 422, response.text
    assert [p["path"] for p in response.json()["detail"]] == ["msg.body.ProductData.ProductType"]
    assert svc.calls == []


async def test_given_an_existing_sku_when_submitting_delete_then_the_sandbox_catalog_no_longer_has_it(
        make_product_service):
    svc = await make_product_service()
    sku = sorted(catalog(svc))[0]

    result = await run(svc, SUBMIT, {"SKU": sku}, product_cfg("Toys", "Delete"))

    assert result["outcome"] == "ok", result
    assert report_of(result)["messagesSuccessful"] == 1
    assert sku not in catalog(svc)
    (sent,) = submits(svc)
    assert b"<OperationType>Delete</OperationType>" in sent.body and b"<ProductData>" not in sent.body


async def test_given_a_created_toy_when_submitting_a_partial_update_then_it_is_accepted_and_applied(
        make_product_service):
    svc = await make_product_service()
    await run(svc, SUBMIT, await toy(svc, "TOY-PU-1", "Old title"), product_cfg("Toys"))

    result = await run(svc, SUBMIT, {"SKU": "TOY-PU-1", "DescriptionData": {"Title": "New title"}},
                       product_cfg("Toys", "PartialUpdate"))

    assert result["outcome"] == "ok", result
    assert report_of(result)["messagesSuccessful"] == 1
    assert b"<OperationType>PartialUpdate</OperationType>" in submits(svc)[-1].body
    assert catalog(svc)["TOY-PU-1"]["title"] == "New title"


async def test_given_upsert_when_submitting_then_it_is_sent_as_update(make_product_service):
    svc = await make_product_service()

    result = await run(svc, SUBMIT, await toy(svc, "TOY-UP-1"), product_cfg("Toys", "Upsert"))

    assert result["outcome"] == "ok", result
    assert b"<OperationType>Update</OperationType>" in submits(svc)[0].body
    assert "TOY-UP-1" in catalog(svc)


# -- without MWS_XSD_DIR ------------------------------------------------------------------------

async def test_given_no_mws_xsd_dir_when_submitting_the_same_toy_then_done_and_the_sandbox_catalog_has_it(
        make_product_service):
    schema_svc = await make_product_service()
    product = await toy(schema_svc, "TOY-NOXSD-1", "Kite")
    svc = await make_product_service(xsd=False)

    result = await run(svc, SUBMIT, product, product_cfg("Toys"))

    assert result["outcome"] == "ok", result
    assert report_of(result)["messagesSuccessful"] == 1
    (await out_validator(svc)).validate(the_data(result))
    item = catalog(svc)["TOY-NOXSD-1"]
    assert (item["title"], item["category"]) == ("Kite", "Toys")


NONSENSE = {"SKU": "TOY-NONSENSE-1", "DescriptionData": {"Title": "Mystery box"},
            "ProductData": {"Flavour": {"Intensity": "very"}, "Wheels": 3}}


async def test_given_no_mws_xsd_dir_anywhere_when_product_data_is_nonsense_then_it_passes_422_and_the_sandbox_accepts_it(
        make_product_service):
    # Without XSDs the sandbox checks only the envelope's skeleton: it cannot tell bad ProductData.
    svc = await make_product_service(xsd=False)

    result = await run(svc, SUBMIT, NONSENSE, product_cfg("Toys"))

    assert result["outcome"] == "ok", result
    report = report_of(result)
    assert (report["messagesSuccessful"], report["messagesWithError"]) == (1, 0)
    assert catalog(svc)["TOY-NONSENSE-1"]["category"] == "Toys"


async def test_given_no_mws_xsd_dir_when_amazon_validates_nonsense_product_data_then_the_report_carries_the_error(
        make_product_service):
    svc = await make_product_service(xsd=False, sandbox_xsd=True)

    result = await run(svc, SUBMIT, NONSENSE, product_cfg("Toys"))

    assert result["outcome"] == "ok", result
    assert len(submits(svc)) == 1
    report = report_of(result)
    assert (report["messagesSuccessful"], report["messagesWithError"]) == (0, 1)
    (error,) = report["results"]
    assert (error["messageId"], error["resultCode"], error["resultMessageCode"]) == (1, "Error", 5000)
    assert error["sku"] == "TOY-NONSENSE-1"
    assert "TOY-NONSENSE-1" not in catalog(svc)


async def test_given_no_mws_xsd_dir_when_a_common_field_is_wrong_then_the_static_schema_answers_422(
        make_product_service):
    svc = await make_product_service(xsd=False)

    response = await execute(svc, SUBMIT, {**NONSENSE, "SKU": "S" * 41}, product_cfg("Toys"))

    assert response.status_code == 422, response.text
    assert [p["path"] for p in response.json()["detail"]] == ["msg.body.SKU"]
    assert svc.calls == []


# -- submitProductCategoryFromPayload -----------------------------------------------------------

@pytest.mark.parametrize("xsd", [True, False], ids=["with-xsd", "without-xsd"])
async def test_given_two_categories_in_one_feed_when_submitting_from_payload_then_both_skus_are_in_the_catalog(
        make_product_service, xsd):
    schema_svc = await make_product_service()
    item = (await metadata(schema_svc, FROM_PAYLOAD, product_cfg()))["in"]["else"]
    by_category = {rule["if"]["properties"]["category"]["const"]: rule["then"]["properties"]["ProductData"]
                   for rule in item["allOf"]}
    messages = [
        {"SKU": "MIX-TOY-1", "category": "Toys", "DescriptionData": {"Title": "Puzzle"},
         "ProductData": minimal(by_category["Toys"])},
        {"SKU": "MIX-BEAUTY-1", "category": "Beauty", "DescriptionData": {"Title": "Lipstick"},
         "ProductData": minimal(by_category["Beauty"])},
    ]
    svc = await make_product_service(xsd=xsd)

    result = await run(svc, FROM_PAYLOAD, {"messages": messages}, product_cfg())

    assert result["outcome"] == "ok", result
    assert report_of(result)["messagesSuccessful"] == 2
    (await out_validator(svc, FROM_PAYLOAD)).validate(the_data(result))
    items = catalog(svc)
    assert (items["MIX-TOY-1"]["title"], items["MIX-TOY-1"]["category"]) == ("Puzzle", "Toys")
    assert (items["MIX-BEAUTY-1"]["title"], items["MIX-BEAUTY-1"]["category"]) == ("Lipstick", "Beauty")
    assert len(submits(svc)) == 1


async def test_given_the_payload_variant_with_a_wrong_field_in_one_category_when_submitting_then_422_names_it(
        make_product_service):
    svc = await make_product_service()
    messages = [{**await toy(svc, "MIX-OK-1"), "category": "Toys"},
                {"SKU": "MIX-BAD-1", "category": "Beauty", "ProductData": {"ProductType": {"Nope": {}}}}]

    response = await execute(svc, FROM_PAYLOAD, {"messages": messages}, product_cfg())

    assert response.status_code == 422, response.text
    assert [p["path"] for p in response.json()["detail"]] == ["msg.body.messages[1].ProductData.ProductType.Nope"]
    assert svc.calls == []


# -- rebound and resume -------------------------------------------------------------------------

@pytest.mark.parametrize("xsd", [True, False], ids=["with-xsd", "without-xsd"])
async def test_given_a_short_step_timeout_when_submitting_then_rebound_and_resume_never_submits_again(
        make_product_service, xsd):
    schema_svc = await make_product_service()
    product = await toy(schema_svc, "TOY-SLOW-1", "Slow boat")
    svc = await make_product_service(xsd=xsd, step_timeout_ms=20_000, response_check_delay_ms=10_000)
    cfg = product_cfg("Toys")

    first = await run(svc, SUBMIT, product, cfg)

    assert first["outcome"] == "rebound", first
    assert set(first["snapshot"]) == {"feedSubmissionId", "contentMd5"}
    assert len(submits(svc)) == 1
    result, snapshot = first, first["snapshot"]
    for _ in range(10):
        result = await run(svc, SUBMIT, product, cfg, snapshot)
        if result["outcome"] != "rebound":
            break
        assert result["snapshot"]["feedSubmissionId"] == first["snapshot"]["feedSubmissionId"]
        snapshot = result["snapshot"]
    assert result["outcome"] == "ok", result
    assert len(submits(svc)) == 1
    assert the_data(result)["feedSubmissionId"] == first["snapshot"]["feedSubmissionId"]
    assert result["snapshot"] == {}
    assert catalog(svc)["TOY-SLOW-1"]["title"] == "Slow boat"
