"""Specification of the feed actions' input schemas: what can never become a valid feed is a 422."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import PROJECT_ROOT

SCHEMAS = PROJECT_ROOT / "schemas"
FEED_ACTIONS = ["updateOrder", "updateItem", "submitInventory", "changeProductPrice", "changeProductImage",
                "establishProductRelationships"]
ALL_ACTIONS = FEED_ACTIONS + ["getFeedSubmissionStatus", "getFeedSubmissionResult"]


def _retrieve(uri: str) -> Resource:
    return Resource.from_contents(json.loads(Path(uri.removeprefix("file://")).read_text()),
                                  default_specification=DRAFT202012)


def _validator(name: str) -> Draft202012Validator:
    path = SCHEMAS / name
    schema = json.loads(path.read_text())
    registry = Registry(retrieve=_retrieve)
    return Draft202012Validator({**schema, "$id": path.as_uri()}, registry=registry)


def _paths(action: str, body) -> set[str]:
    """Where the schema fails, as the 422 names it: a missing property's own name appended."""
    out = set()
    for error in _validator(f"actions/{action}.in.json").iter_errors(body):
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        if error.validator == "required":
            out |= {f"{path}.{name}" for name in error.validator_value if name not in error.instance}
        else:
            out.add(path)
    return out


@pytest.mark.parametrize("name", [f"actions/{a}.{d}.json" for a in ALL_ACTIONS for d in ("in", "out")]
                         + ["common/feedResult.json"])
def test_given_each_owned_schema_when_checked_then_it_is_draft_2020_12_with_required_lists(name):
    text = (SCHEMAS / name).read_text()
    schema = json.loads(text)

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert '"required": true' not in text


@pytest.mark.parametrize("action", ["submitInventory", "changeProductPrice", "changeProductImage",
                                    "establishProductRelationships"])
def test_given_one_item_or_messages_when_a_field_is_bad_then_the_path_names_it_in_either_shape(action):
    valid = {
        "submitInventory": {"SKU": "A", "Quantity": 1},
        "changeProductPrice": {"SKU": "A", "StandardPrice": {"value": 1, "currency": "USD"}},
        "changeProductImage": {"SKU": "A", "ImageType": "Main", "ImageLocation": "https://x/a.jpg"},
        "establishProductRelationships": {"ParentSKU": "P", "Relation": [{"SKU": "C", "Type": "Variation"}]},
    }[action]
    key = "ParentSKU" if action == "establishProductRelationships" else "SKU"

    assert _paths(action, valid) == set()
    assert _paths(action, {"messages": [valid, valid]}) == set()
    assert _paths(action, {**valid, key: ""}) == {f".{key}"}
    assert _paths(action, {"messages": [valid, {**valid, key: ""}]}) == {f".messages[1].{key}"}


@pytest.mark.parametrize(
    ("action", "body", "paths"),
    [
        ("updateItem", {"messages": [{"Quantity": 1}]}, {".messages[0].SKU"}),
        ("updateItem", {"messages": [{"SKU": "A", "Quantity": -1}]}, {".messages[0].Quantity"}),
        ("updateItem", {"messages": [{"SKU": "A", "Quantity": 1.5}]}, {".messages[0].Quantity"}),
        ("updateItem", {"messages": [{"SKU": "x" * 41, "Quantity": 1}]}, {".messages[0].SKU"}),
        ("updateItem", {"messages": []}, {".messages"}),
        ("updateItem", {}, {".messages"}),
        ("submitInventory", {"SKU": "A"}, {".Quantity"}),
        ("submitInventory", {"SKU": "A", "Quantity": 1, "Available": True}, {".Quantity"}),
        ("submitInventory", {"SKU": "A", "Available": True}, set()),
        ("submitInventory", {"SKU": "A", "Quantity": 1, "FulfillmentLatency": 0}, {".FulfillmentLatency"}),
        ("submitInventory", {"SKU": "A", "Quantity": 1, "SwitchFulfillmentTo": "FBA"}, {".SwitchFulfillmentTo"}),
        ("submitInventory", {"SKU": "A", "Quantity": 1, "RestockDate": "tomorrow"}, {".RestockDate"}),
        ("changeProductPrice", {"SKU": "A", "StandardPrice": {"value": 1}}, {".StandardPrice.currency"}),
        ("changeProductPrice", {"SKU": "A", "StandardPrice": {"value": 1, "currency": "CHF"}},
         {".StandardPrice.currency"}),
        ("changeProductPrice", {"SKU": "A", "StandardPrice": {"value": -1, "currency": "USD"}},
         {".StandardPrice.value"}),
        ("changeProductPrice", {"SKU": "A", "StandardPrice": {"value": "1.23456", "currency": "USD"}},
         {".StandardPrice.value"}),
        ("changeProductPrice", {"SKU": "A", "StandardPrice": {"value": 2, "currency": "USD"},
                                "SalePrice": {"value": 1, "currency": "USD"}},
         {".SalePrice.StartDate", ".SalePrice.EndDate"}),
        ("changeProductImage", {"SKU": "A", "ImageType": "Poster", "ImageLocation": "https://x/a.jpg"},
         {".ImageType"}),
        ("changeProductImage", {"SKU": "A", "ImageType": "Main"}, {".ImageLocation"}),
        ("changeProductImage", {"SKU": "A", "ImageType": "Main", "operation": "Update"}, {".ImageLocation"}),
        ("changeProductImage", {"SKU": "A", "ImageType": "Main", "operation": "Delete"}, set()),
        ("changeProductImage", {"SKU": "A", "ImageType": "Main", "operation": "Remove",
                                "ImageLocation": "https://x/a.jpg"}, {".operation"}),
        ("changeProductImage", {"SKU": "A", "ImageType": "Main", "ImageLocation": "ftp://x/a.jpg"},
         {".ImageLocation"}),
        ("establishProductRelationships", {"ParentSKU": "P", "Relation": []}, {".Relation"}),
        ("establishProductRelationships", {"ParentSKU": "P", "Relation": [{"SKU": "C", "Type": "Cousin"}]},
         {".Relation[0].Type"}),
        ("establishProductRelationships", {"ParentSKU": "P", "Relation": [{"Type": "Accessory"}]},
         {".Relation[0].SKU"}),
        ("updateOrder", {"messages": [{"amazonOrderID": "902-3159896-1390916"}]}, {".messages[0].statusCode"}),
        ("updateOrder", {"messages": [{"amazonOrderID": "902-3159896-1390916", "statusCode": "Maybe"}]},
         {".messages[0].statusCode"}),
        ("updateOrder", {"messages": [{"amazonOrderID": "902", "statusCode": "Success"}]},
         {".messages[0].amazonOrderID"}),
        ("updateOrder", {"messages": [{"amazonOrderID": "902-3159896-1390916", "statusCode": "Success",
                                       "amazonOrderItemCode": "123"}]}, {".messages[0].amazonOrderItemCode"}),
        ("getFeedSubmissionStatus", {"feedSubmissionId": "50000018000"}, set()),
        ("getFeedSubmissionStatus", {"feedSubmissionId": "abc"}, {".feedSubmissionId"}),
        ("getFeedSubmissionResult", {}, {".feedSubmissionId"}),
    ],
)
def test_given_input_no_feed_could_accept_when_validating_then_the_path_names_the_field(action, body, paths):
    assert _paths(action, body) == paths


def test_given_a_full_feed_result_when_validating_the_out_schema_then_it_passes():
    result = {"feedSubmissionId": "50000018000", "feedType": "_POST_INVENTORY_AVAILABILITY_DATA_",
              "feedProcessingStatus": "_DONE_",
              "processingReport": {"statusCode": "Complete", "messagesProcessed": 2, "messagesSuccessful": 1,
                                   "messagesWithError": 1, "messagesWithWarning": 0,
                                   "results": [{"messageId": 2, "resultCode": "Error", "resultMessageCode": 13013,
                                                "resultDescription": "...", "sku": "A"}]}}

    for action in FEED_ACTIONS:
        assert list(_validator(f"actions/{action}.out.json").iter_errors(result)) == []
    assert list(_validator("actions/getFeedSubmissionResult.out.json").iter_errors(
        {"feedSubmissionId": "1", "processingReport": result["processingReport"]})) == []
    bad = {**result, "processingReport": {**result["processingReport"], "messagesProcessed": "2"}}
    assert list(_validator("common/feedResult.json").iter_errors(bad))
