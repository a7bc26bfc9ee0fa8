"""The builder projection (app.runtime.projection) on every schema the component serves: a root object
with properties, no `$`-keys and none of the keywords builders do not render, every property typed,
required properties flagged, and the dropped rules said in words."""
from __future__ import annotations

import json

import pytest

from app.runtime.component import Component
from app.runtime.projection import DROPPED, project
from app.settings import Settings
from tests.conftest import SHARED

COMPONENT = Component()
XSD = SHARED / "amazon-reference" / "xsd"


def _served() -> list[tuple[str, dict]]:
    out = []
    for step in COMPONENT.steps:
        for part in ("in", "out"):
            out.append((f"{step.key}.{part}", step.metadata[part]))
    return out


def _problems(schema: dict) -> list[str]:
    found: list[str] = []

    def walk(node, path):
        if not isinstance(node, dict):
            return
        for key in node:
            if key.startswith("$") or key in DROPPED or key in ("anyOf", "oneOf", "allOf"):
                found.append(f"{path}: {key}")
        for name, prop in (node.get("properties") or {}).items():
            if not isinstance(prop, dict) or not isinstance(prop.get("type"), str):
                found.append(f"{path}.{name}: no single type")
            walk(prop, f"{path}.{name}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}[]")
    walk(schema, "")
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        found.append("root is not an object with properties")
    return found


@pytest.mark.parametrize("name, schema", _served(), ids=[n for n, _ in _served()])
def test_given_a_served_schema_when_projected_then_a_builder_can_render_it(name, schema):
    assert _problems(schema) == []


@pytest.mark.parametrize("category", ["Toys", "SWVG", "Shoes", "CE"])
async def test_given_an_xsd_generated_category_schema_when_projected_then_it_renders_too(category):
    if not (XSD / "amzn-envelope.xsd").is_file():
        pytest.skip("Amazon's XSDs are not beside the project")
    step = COMPONENT.find("submitProduct")
    meta = await step.hooks.get_meta_model({"category": category}, Settings(mws_xsd_dir=XSD))
    assert _problems(project(step.inline(meta["in"]))) == []


def test_given_a_one_item_or_batch_input_when_projected_then_the_item_fields_and_an_optional_messages_array():
    served = COMPONENT.find("submitInventory").metadata["in"]
    assert {"SKU", "Quantity", "Available", "messages"} <= set(served["properties"])
    assert "required" not in served  # one item or several: nothing is required at the root
    messages = served["properties"]["messages"]
    assert messages["type"] == "array" and "instead of the fields above" in messages["title"]
    assert messages["items"]["properties"]["SKU"]["required"] is True
    assert messages["items"]["required"] == ["SKU"]


def test_given_rules_the_projection_drops_when_projected_then_they_are_said_in_words():
    inventory = COMPONENT.find("submitInventory").metadata["in"]["properties"]
    assert "Give Quantity or Available, not both." in inventory["Quantity"]["description"]
    assert "Give Quantity or Available, not both." in inventory["Available"]["description"]
    image = COMPONENT.find("changeProductImage").metadata["in"]["properties"]
    assert "Required unless operation is Delete." in image["ImageLocation"]["description"]


def test_given_a_union_of_types_when_projected_then_one_type_and_the_alternatives_said():
    schema = project({"type": "object", "properties": {
        "pages": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": "^[0-9]+$"}]},
        "value": {"type": ["number", "string"]},
        "fixed": {"const": "DEFAULT"}}})
    props = schema["properties"]
    assert props["pages"]["type"] == "integer" and "Accepts integer or string." in props["pages"]["description"]
    assert props["value"]["type"] == "number"
    assert props["fixed"] == {"enum": ["DEFAULT"], "type": "string"}


def test_given_the_full_schemas_when_projected_then_they_are_untouched():
    step = COMPONENT.find("submitInventory")
    before = json.dumps(step.full_metadata)
    project(step.full_metadata["in"])
    assert json.dumps(step.full_metadata) == before and "if" in step.full_metadata["in"]
