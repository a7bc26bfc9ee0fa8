"""Specification of XSD validation: problems name msg.body.messages[i] and the input key, never the value."""
from __future__ import annotations

import pytest

from app.feeds import build_feed
from app.feeds.xsd import envelope_schema
from app.runtime.errors import InputInvalid


def _problems(kind: str, messages: list[dict], xsd_dir, **kwargs) -> dict[str, str]:
    with pytest.raises(InputInvalid) as raised:
        build_feed(kind, messages, "S", xsd_dir=xsd_dir, **kwargs)
    return {p.path: p.message for p in raised.value.problems}


def test_given_the_same_folder_when_asking_twice_then_the_schema_is_compiled_once(xsd_dir, envelope_xsd):
    assert envelope_schema(xsd_dir) is envelope_xsd


def test_given_a_bad_third_message_when_validating_then_the_problem_names_messages_2_and_quantity(xsd_dir):
    messages = [{"SKU": "A", "Quantity": 1}, {"SKU": "B", "Quantity": 2}, {"SKU": "C", "Quantity": -7}]

    problems = _problems("Inventory", messages, xsd_dir)

    assert list(problems) == ["msg.body.messages[2].Quantity"]
    assert "-7" not in problems["msg.body.messages[2].Quantity"]


def test_given_a_missing_quantity_when_validating_then_quantity_is_named_as_required(xsd_dir):
    problems = _problems("Inventory", [{"SKU": "A"}], xsd_dir)

    assert "msg.body.messages[0].Quantity" in problems


def test_given_one_item_input_when_validating_then_paths_are_at_msg_body(xsd_dir):
    problems = _problems("Inventory", [{"SKU": "x" * 41, "Quantity": 1}], xsd_dir, single=True)

    assert list(problems) == ["msg.body.SKU"]
    assert "x" * 41 not in problems["msg.body.SKU"]


def test_given_bad_price_fields_when_validating_then_currency_value_and_sale_dates_map_to_input_keys(xsd_dir):
    messages = [
        {"SKU": "A", "StandardPrice": {"value": "1.23456", "currency": "XYZ"}},
        {"SKU": "B", "StandardPrice": {"value": 1}},
        {"SKU": "C", "StandardPrice": {"value": 1, "currency": "USD"},
         "SalePrice": {"value": 1, "currency": "USD", "StartDate": "soon", "EndDate": "2026-01-01T00:00:00Z"}},
    ]

    problems = _problems("Price", messages, xsd_dir)

    assert set(problems) == {
        "msg.body.messages[0].StandardPrice.currency",
        "msg.body.messages[0].StandardPrice.value",
        "msg.body.messages[1].StandardPrice.currency",
        "msg.body.messages[2].SalePrice.StartDate",
    }
    assert all("XYZ" not in m and "1.23456" not in m and "soon" not in m for m in problems.values())


def test_given_a_bad_relation_when_validating_then_the_relation_index_is_named(xsd_dir):
    messages = [{"ParentSKU": "P", "Relation": [{"SKU": "C1", "Type": "Variation"}, {"SKU": "C2", "Type": "Cousin"}]}]

    problems = _problems("Relationship", messages, xsd_dir)

    assert list(problems) == ["msg.body.messages[0].Relation[1].Type"]


def test_given_bad_order_ack_when_validating_then_lower_camel_input_keys_are_named(xsd_dir):
    messages = [{"amazonOrderID": "1-2-3", "statusCode": "Success", "amazonOrderItemCode": "12"}]

    problems = _problems("OrderAcknowledgement", messages, xsd_dir)

    assert set(problems) == {"msg.body.messages[0].amazonOrderID", "msg.body.messages[0].amazonOrderItemCode"}


def test_given_unknown_image_type_when_validating_then_image_type_is_named(xsd_dir):
    problems = _problems("ProductImage", [{"SKU": "A", "ImageType": "Poster", "ImageLocation": "https://x/y.jpg"}],
                         xsd_dir)

    assert list(problems) == ["msg.body.messages[0].ImageType"]
