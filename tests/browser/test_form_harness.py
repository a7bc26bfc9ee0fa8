"""The harness itself, on small hand-written schemas: it finds what the renderers draw, and sees what they cannot."""
from __future__ import annotations

import pytest

FLAT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "title": "Name"},
        "count": {"type": "integer", "title": "Count"},
        "colour": {"type": "string", "enum": ["red", "blue"]},  # no title: labelled by its name
    },
}
NESTED = {"type": "object", "properties": {
    "price": {"type": "object", "title": "Price", "properties": {"value": {"type": "number"}}},
    "gift": {"type": "boolean", "title": "Gift"}}}
ARRAY_OF_OBJECTS = {
    "type": "object",
    "properties": {
        "messages": {
            "type": "array", "title": "Messages",
            "items": {"type": "object", "properties": {"SKU": {"type": "string"}, "Quantity": {"type": "integer"}}},
        },
    },
}


@pytest.mark.parametrize("renderer", ["jsonforms", "rjsf"])
def test_given_a_flat_schema_when_rendered_then_each_of_its_three_properties_has_its_control(form_page, renderer):
    report = form_page.render(FLAT, renderer)
    assert report["missing"] == [] and report["errors"] == [] and report["unsupported"] == []
    kinds = {name: p["kind"] for name, p in report["properties"].items()}
    assert kinds == {"name": "input", "count": "input", "colour": "select"}
    assert report["properties"]["name"]["label"] == "Name"
    assert report["controls"] == 3


@pytest.mark.parametrize("renderer", ["jsonforms", "rjsf"])
def test_given_an_array_of_objects_when_rendered_then_the_array_control_is_found(form_page, renderer):
    report = form_page.render(ARRAY_OF_OBJECTS, renderer)
    assert report["missing"] == [] and report["errors"] == [] and report["unsupported"] == []
    assert report["properties"]["messages"] == {"found": True, "kind": "array", "label": "Messages"}


def test_given_a_property_without_a_type_when_rjsf_renders_it_then_the_unsupported_box_is_reported(form_page):
    report = form_page.render({"type": "object", "properties": {"odd": {"title": "Odd"}}}, "rjsf")
    assert report["missing"] == ["odd"]
    assert report["unsupported"] and "root_odd" in report["unsupported"][0]


@pytest.mark.parametrize("extra", [
    {"$schema": "https://json-schema.org/draft/2020-12/schema"},  # JSON Forms' Ajv knows draft-07 only
    {"properties": {**FLAT["properties"], "name": {"type": "string", "title": "Name", "required": True}}},  # draft-3
], ids=["$schema 2020-12", "required: true"])
def test_given_a_schema_validating_jsonforms_cannot_compile_when_rendered_then_the_error_is_reported_and_without_validation_it_draws(
        form_page, extra):
    schema = {**FLAT, **extra}
    report = form_page.render(schema, "jsonforms-validating")
    assert report["missing"] == ["name", "count", "colour"] and report["errors"]
    report = form_page.render(schema, "jsonforms")
    assert report["missing"] == [] and report["errors"] == []


@pytest.mark.parametrize("renderer", ["jsonforms", "rjsf"])
def test_given_only_if_then_else_when_rendered_then_there_is_no_root_property_to_find(form_page, renderer):
    schema = {"type": "object", "if": {"required": ["messages"]}, "then": ARRAY_OF_OBJECTS, "else": FLAT}
    assert form_page.render(schema, renderer)["properties"] == {}


def test_given_a_nested_object_and_a_boolean_when_rjsf_renders_them_then_a_group_and_a_checkbox_are_found(form_page):
    report = form_page.render(NESTED, "rjsf")
    assert report["missing"] == [] and report["errors"] == [] and report["unsupported"] == []
    assert report["properties"] == {"price": {"found": True, "kind": "group", "label": "Price"},
                                    "gift": {"found": True, "kind": "checkbox", "label": "Gift"}}


def test_given_a_nested_object_when_jsonforms_vanilla_renders_it_then_its_silent_gap_is_reported(form_page):
    # @jsonforms/vanilla-renderers has no renderer for an object-typed property: it draws nothing and
    # only warns on the console. The harness reports it (silent), so the served-form test can tell it
    # from a missing control of a kind vanilla does render.
    report = form_page.render(NESTED, "jsonforms")
    assert report["missing"] == ["price"] and report["errors"] == []
    assert report["silent"] == ["No applicable cell found. #/properties/price"]
    assert report["properties"]["gift"] == {"found": True, "kind": "checkbox", "label": "Gift"}


def test_given_required_true_on_an_object_typed_property_when_rjsf_renders_it_then_the_crash_is_reported(form_page):
    # Found while proving the harness: rjsf reads an object schema's `required` as its list of required
    # children, so elastic.io's `"required": true` on an object-typed property breaks the whole form
    # (`required.includes is not a function`), while on a scalar property it is harmless.
    scalar = {"type": "object", "properties": {"sku": {"type": "string", "required": True}}}
    assert form_page.render(scalar, "rjsf")["missing"] == []
    nested = {"type": "object", "properties": {
        "sku": {"type": "string"},
        "price": {"type": "object", "required": True, "properties": {"value": {"type": "number"}}}}}
    report = form_page.render(nested, "rjsf")
    assert report["missing"] == ["sku", "price"] and any("includes" in e for e in report["errors"])
