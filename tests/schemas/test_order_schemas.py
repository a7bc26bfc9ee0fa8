"""Specification of the orders steps' JSON Schemas (schemas/common, the trigger's cfg/out, getOrder, listOrderItems).

Schemas carry no $id: a cross-file $ref is relative to the referring file, so the registry here names every
schema by its file:// URI and loads referenced files from disk, as the runtime's resolver does.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from lxml import etree

from tests.conftest import PROJECT_ROOT, SAMPLES, require_shared

SCHEMAS = PROJECT_ROOT / "schemas"
OWNED = [
    "common/money.json",
    "common/address.json",
    "common/order.json",
    "common/orderItem.json",
    "common/error.json",
    "triggers/getNewAndUpdatedOrders.cfg.json",
    "triggers/getNewAndUpdatedOrders.out.json",
    "actions/getOrder.in.json",
    "actions/getOrder.out.json",
    "actions/listOrderItems.in.json",
    "actions/listOrderItems.out.json",
]


def _retrieve(uri: str) -> Resource:
    if not uri.startswith("file://"):
        raise LookupError(uri)
    path = Path(uri[len("file://"):])
    return Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012)


REGISTRY = Registry(retrieve=_retrieve)


def validator(rel: str) -> Draft202012Validator:
    """A validator for schemas/<rel>, with $refs resolved relative to that file."""
    return Draft202012Validator({"$ref": (SCHEMAS / rel).as_uri()}, registry=REGISTRY)


def errors(rel: str, instance: Any) -> list[ValidationError]:
    return list(validator(rel).iter_errors(instance))


def walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, path + (k,))
    elif isinstance(node, list):
        for n, v in enumerate(node):
            yield from walk(v, path + (n,))


def load(rel: str) -> dict:
    return json.loads((SCHEMAS / rel).read_text())


ORDER = {
    "amazonOrderId": "902-3159896-1390916",
    "purchaseDate": "2017-02-20T19:49:35Z",
    "lastUpdateDate": "2017-02-20T19:49:35Z",
    "orderStatus": "Unshipped",
    "fulfillmentChannel": "MFN",
    "orderTotal": {"currencyCode": "USD", "amount": "25.00"},
    "numberOfItemsShipped": 0,
    "numberOfItemsUnshipped": 1,
    "paymentMethodDetails": ["CreditCard"],
    "isPrime": False,
    "someFieldAmazonAddsLater": "x",
}
ITEM = {"asin": "BT0093TELA", "orderItemId": "68828574383266", "quantityOrdered": 1,
        "codFee": {"currencyCode": "JPY", "amount": "10.00"}, "promotionIds": ["FREESHIP"], "isGift": False}


# --- every file is a sound Draft 2020-12 schema -------------------------------------------------------------

@pytest.mark.parametrize("rel", OWNED)
def test_given_each_schema_file_when_checked_against_the_2020_12_metaschema_then_it_is_valid(rel):
    schema = load(rel)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("rel", OWNED)
def test_given_each_schema_when_walked_then_required_is_always_a_list_never_draft3_true(rel):
    for path, node in walk(load(rel)):
        if isinstance(node, dict) and "required" in node and path[-1:] != ("properties",):
            assert isinstance(node["required"], list), f"{rel}: draft-3 style required at {path}"


@pytest.mark.parametrize("rel", OWNED)
def test_given_each_schema_when_walked_then_it_has_no_absolute_id(rel):
    for path, node in walk(load(rel)):
        if isinstance(node, dict) and path[-1:] != ("properties",):
            assert "$id" not in node, f"{rel}: $id at {path}"


@pytest.mark.parametrize("rel", OWNED)
def test_given_each_schema_when_every_ref_is_looked_up_from_its_file_then_it_resolves(rel):
    uri = (SCHEMAS / rel).as_uri()
    resolver = REGISTRY.resolver(base_uri=uri)
    refs = [node["$ref"] for _, node in walk(load(rel)) if isinstance(node, dict) and isinstance(node.get("$ref"), str)]
    for ref in refs:
        resolved = resolver.lookup(ref)
        assert isinstance(resolved.contents, dict), ref
        if not ref.startswith("#"):
            # the target's own internal refs resolve from the target's location too
            for _, inner in walk(resolved.contents):
                if isinstance(inner, dict) and isinstance(inner.get("$ref"), str):
                    resolved.resolver.lookup(inner["$ref"])


@pytest.mark.parametrize("rel", OWNED)
def test_given_each_schema_when_walked_then_every_property_has_a_title(rel):
    for path, node in walk(load(rel)):
        if path[-1:] == ("properties",) and isinstance(node, dict):
            for name, prop in node.items():
                assert "title" in prop, f"{rel}: {'/'.join(map(str, path))}/{name} has no title"


def test_given_common_fragments_when_read_then_keys_follow_the_lower_camel_case_rule():
    order = load("common/order.json")["properties"]
    item = load("common/orderItem.json")["properties"]
    for key in ("amazonOrderId", "purchaseDate", "isPrime", "isSoldByAB", "isIBA", "isISPU", "paymentExecutionDetail",
                "shipmentServiceLevelCategory", "buyerTaxInfo", "easyShipShipmentStatus", "tfmShipmentStatus"):
        assert key in order
    for key in ("asin", "orderItemId", "sellerSKU", "codFee", "codFeeDiscount", "promotionIds", "iossNumber",
                "serialNumberRequired", "buyerRequestedCancel", "shippingDiscountTax", "promotionDiscountTax"):
        assert key in item
    assert all(re.match(r"^[a-z]", k) for k in [*order, *item])


def test_given_order_and_item_when_read_then_types_match_the_parser_typing_rules():
    order = load("common/order.json")
    item = load("common/orderItem.json")
    props = {**order["properties"], **item["properties"]}
    for key, prop in props.items():
        if re.match(r"^is[A-Z]", key) or key == "serialNumberRequired":
            assert prop["type"] == "boolean", key
    for key in ("numberOfItemsShipped", "numberOfItemsUnshipped", "quantityOrdered", "quantityShipped"):
        assert props[key]["type"] == "integer", key
    assert item["$defs"]["pointsGranted"]["properties"]["pointsNumber"]["type"] == "integer"
    assert order["$defs"]["automatedShippingSettings"]["properties"]["hasAutomatedShippingSettings"]["type"] == "boolean"
    assert props["paymentMethodDetails"]["items"]["type"] == "string"
    assert props["promotionIds"]["items"]["type"] == "string"
    assert order["required"] == ["amazonOrderId", "purchaseDate", "lastUpdateDate", "orderStatus"]
    assert item["required"] == ["asin", "orderItemId", "quantityOrdered"]


# --- instances ----------------------------------------------------------------------------------------------

def test_given_getorder_input_with_a_bad_fourth_id_when_validated_then_the_error_is_at_amazonorderids_3():
    ids = ["902-3159896-1390916", "114-3808039-1650643", "483-3488972-0896720", "12-34", "058-1233752-8214740"]
    found = errors("actions/getOrder.in.json", {"amazonOrderIds": ids})
    assert [list(e.absolute_path) for e in found] == [["amazonOrderIds", 3]]


def test_given_getorder_input_when_ids_missing_or_empty_then_rejected_and_valid_ids_accepted():
    assert [e.validator for e in errors("actions/getOrder.in.json", {})] == ["required"]
    assert errors("actions/getOrder.in.json", {"amazonOrderIds": []})
    assert not errors("actions/getOrder.in.json", {"amazonOrderIds": ["902-3159896-1390916"] * 120})


def test_given_listorderitems_input_when_amazonorderid_missing_then_a_required_error_names_it():
    found = errors("actions/listOrderItems.in.json", {"orderId": "902-3159896-1390916"})
    assert len(found) == 1 and found[0].validator == "required" and "amazonOrderId" in found[0].message
    assert errors("actions/listOrderItems.in.json", {"amazonOrderId": "902-3159896-139091"})
    assert not errors("actions/listOrderItems.in.json", {"amazonOrderId": "902-3159896-1390916"})


@pytest.mark.parametrize("value", [0, 101, -1, "0", "101", "050", "ten", "", 50.5, None, True])
def test_given_trigger_cfg_when_maxresultsperpage_out_of_range_then_rejected(value):
    assert errors("triggers/getNewAndUpdatedOrders.cfg.json", {"maxResultsPerPage": value})


@pytest.mark.parametrize("value", [1, 50, 100, "1", "50", "100"])
def test_given_trigger_cfg_when_maxresultsperpage_is_1_to_100_as_number_or_string_then_accepted(value):
    assert not errors("triggers/getNewAndUpdatedOrders.cfg.json", {"maxResultsPerPage": value})


def test_given_trigger_cfg_with_credentials_and_every_field_when_validated_then_accepted():
    cfg = {"sellerId": "A1SANDBOXSELLER", "marketplaceId": "ATVPDKIKX0DER", "_account": "abc",
           "orderStatuses": ["Unshipped", "PartiallyShipped"], "maxResultsPerPage": "20",
           "startTime": "1970-01-01T00:00:00.000 +0000", "endTime": "2030-01-01T00:00:00Z",
           "emitBehavior": "fetchPage"}
    assert not errors("triggers/getNewAndUpdatedOrders.cfg.json", cfg)
    assert not errors("triggers/getNewAndUpdatedOrders.cfg.json", {})


def test_given_trigger_cfg_when_statuses_unknown_or_repeated_or_emit_behavior_unknown_then_rejected():
    cfg = "triggers/getNewAndUpdatedOrders.cfg.json"
    assert [list(e.absolute_path) for e in errors(cfg, {"orderStatuses": ["Shipped", "Cancelled"]})] == [["orderStatuses", 1]]
    assert errors(cfg, {"orderStatuses": ["Shipped", "Shipped"]})
    assert errors(cfg, {"emitBehavior": "fetchEverything"})


def test_given_an_order_when_validated_as_trigger_output_individually_or_wrapped_then_accepted():
    out = "triggers/getNewAndUpdatedOrders.out.json"
    assert not errors(out, ORDER)
    assert not errors(out, {"orders": [ORDER, ORDER]})
    assert not errors(out, {"orders": []})
    assert errors(out, {"orders": [{"amazonOrderId": "902-3159896-1390916"}]})


def test_given_an_order_when_required_field_missing_or_typed_wrong_then_rejected():
    order = "common/order.json"
    missing = dict(ORDER)
    del missing["amazonOrderId"]
    assert [e.validator for e in errors(order, missing)] == ["required"]
    assert errors(order, {**ORDER, "isPrime": "false"})
    assert errors(order, {**ORDER, "numberOfItemsShipped": "0"})
    assert errors(order, {**ORDER, "orderStatus": "Cancelled"})
    assert errors(order, {**ORDER, "orderTotal": {"currencyCode": "USD", "amount": 25.0}})


def test_given_getorder_output_when_validated_then_orders_and_notfound_are_required():
    out = "actions/getOrder.out.json"
    assert not errors(out, {"orders": [ORDER], "notFound": ["114-3808039-1650643"]})
    assert {e.message.split("'")[1] for e in errors(out, {})} == {"orders", "notFound"}


def test_given_listorderitems_output_when_validated_then_items_are_checked():
    out = "actions/listOrderItems.out.json"
    assert not errors(out, {"amazonOrderId": "058-1233752-8214740", "orderItems": [ITEM]})
    found = errors(out, {"amazonOrderId": "058-1233752-8214740", "orderItems": [ITEM, {**ITEM, "quantityOrdered": "1"}]})
    assert [list(e.absolute_path) for e in found] == [["orderItems", 1, "quantityOrdered"]]


# --- Amazon's documented examples, converted by the key and type rules, fit the schemas ---------------------

BOOLEAN = {"SerialNumberRequired", "HasAutomatedShippingSettings"}
INTEGER = {"NumberOfItemsShipped", "NumberOfItemsUnshipped", "QuantityOrdered", "QuantityShipped", "PointsNumber"}
LISTS = {"Orders", "OrderItems", "PaymentMethodDetails", "PromotionIds", "PaymentExecutionDetail", "TaxClassifications"}  # as app/model/mws


def camel(name: str) -> str:
    run = len(name) - len(name.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if run == 0:
        return name
    if run == len(name) or run == 1:
        return name[:run].lower() + name[run:]
    return name[:run - 1].lower() + name[run - 1:]


def convert(el: etree._Element) -> Any:
    """A minimal reading of the parser's rules (the real one is app/mws); enough to check names and types."""
    name = etree.QName(el).localname
    children = list(el)
    if name in LISTS:
        return [convert(c) for c in children]
    if children:
        return {camel(etree.QName(c).localname): convert(c) for c in children}
    text = (el.text or "").strip()
    if re.match(r"^[Ii]s[A-Z]", name) or name in BOOLEAN:  # Amazon also writes isAddressSharingConfidential
        return text == "true"
    if name in INTEGER:
        return int(text)
    return text


@pytest.mark.parametrize("sample,tag,rel", [
    ("official-docs/orders_ListOrders_response.xml", "Order", "common/order.json"),
    ("official-docs/orders_GetOrder_response.xml", "Order", "common/order.json"),
    ("official-docs/orders_ListOrderItems_response.xml", "OrderItem", "common/orderItem.json"),
    ("official-client-mocks/orders_ListOrdersResponse.xml", "Order", "common/order.json"),
    ("official-client-mocks/orders_ListOrderItemsResponse.xml", "OrderItem", "common/orderItem.json"),
])
def test_given_amazon_example_records_when_converted_by_the_rules_then_they_fit_the_schema(sample, tag, rel):
    """The client mocks fill every value with the placeholder "String", so only their field names are checked."""
    path = require_shared(SAMPLES / sample)
    # the doc examples break the namespace URI across lines and have a stray '>'; only element names matter here
    text = re.sub(r'xmlns="[^"]*"', "", path.read_text()).replace("</MarketplaceId>>", "</MarketplaceId>")
    root = etree.fromstring(text.encode(), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    records = [convert(el) for el in root.iter(tag)]
    assert records
    schema = load(rel)
    for record in records:
        if "official-docs" in sample:
            assert not errors(rel, record), [e.message for e in errors(rel, record)]
        unknown = set(record) - set(schema["properties"])
        assert not unknown, f"fields in Amazon's example that {rel} does not document: {unknown}"
