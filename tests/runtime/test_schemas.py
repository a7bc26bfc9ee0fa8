"""Schema loading, $ref inlining and the 422 problems built from validation errors."""
from __future__ import annotations

import json

import pytest

from app.runtime.schemas import SchemaError, SchemaStore
from app.runtime.validation import problems_for


def write(tmp_path, name: str, schema) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema))


def test_given_relative_and_internal_refs_when_inlined_then_no_ref_or_defs_remain(tmp_path):
    write(tmp_path, "common/money.json", {"type": "object", "properties": {"amount": {"$ref": "#/$defs/amount"}},
                                          "$defs": {"amount": {"type": "string"}}})
    write(tmp_path, "actions/x.out.json", {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                                           "properties": {"total": {"$ref": "../common/money.json", "title": "Total"}}})
    store = SchemaStore()
    schema = store.load(tmp_path / "actions/x.out.json")
    inlined = store.inline(schema, schema["$id"])
    assert inlined == {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {
        "total": {"type": "object", "properties": {"amount": {"type": "string"}}, "title": "Total"}}}


def test_given_a_recursive_schema_when_inlined_then_the_cycle_keeps_its_ref(tmp_path):
    write(tmp_path, "tree.json", {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}})
    store = SchemaStore()
    schema = store.load(tmp_path / "tree.json")
    inlined = store.inline(schema, schema["$id"])
    assert "$ref" in json.dumps(inlined)


def test_given_a_data_keyword_holding_a_ref_key_when_inlined_then_it_is_left_alone(tmp_path):
    write(tmp_path, "x.json", {"type": "object", "examples": [{"$ref": "nowhere.json"}]})
    store = SchemaStore()
    schema = store.load(tmp_path / "x.json")
    assert store.inline(schema, schema["$id"])["examples"] == [{"$ref": "nowhere.json"}]


def test_given_a_ref_to_a_missing_file_when_checked_then_schema_error(tmp_path):
    write(tmp_path, "x.json", {"properties": {"a": {"$ref": "missing.json"}}})
    with pytest.raises(SchemaError):
        SchemaStore().check(tmp_path / "x.json")


def test_given_a_remote_ref_when_resolved_then_refused_without_fetching(tmp_path):
    write(tmp_path, "x.json", {"properties": {"a": {"$ref": "https://example.com/s.json"}}})
    with pytest.raises(SchemaError):
        SchemaStore().check(tmp_path / "x.json")


def test_given_a_file_when_loaded_twice_then_it_is_read_once(tmp_path):
    write(tmp_path, "x.json", {"type": "object"})
    store = SchemaStore()
    store.load(tmp_path / "x.json")
    (tmp_path / "x.json").write_text("not json any more")
    assert store.load(tmp_path / "x.json")["type"] == "object"


SCHEMA = {
    "type": "object",
    "required": ["id", "lines"],
    "properties": {
        "id": {"type": "string", "pattern": "^[0-9]{3}$"},
        "lines": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["sku"],
                  "properties": {"sku": {"type": "string", "minLength": 1}, "qty": {"type": "integer", "maximum": 9}},
                  "additionalProperties": False}},
        "kind": {"enum": ["a", "b"]},
        "size": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+$"}]},
    },
}


@pytest.mark.parametrize("instance,expected", [
    ({}, [("x.id", "is required"), ("x.lines", "is required")]),
    ({"id": "12", "lines": []}, [("x.id", "is not in the expected form (see the field's description)"), ("x.lines", "must have at least 1 item")]),
    ({"id": "123", "lines": [{"sku": "a"}, {"qty": 10, "extra": 1}]},
     [("x.lines[1].extra", "is not allowed"), ("x.lines[1].qty", "must be at most 9"), ("x.lines[1].sku", "is required")]),
    ({"id": "123", "lines": [{"sku": ""}], "kind": "c"},
     [("x.kind", 'must be one of "a", "b"'), ("x.lines[0].sku", "must not be empty")]),
    ({"id": 5, "lines": [{"sku": "a"}]}, [("x.id", "must be a string")]),
])
def test_given_an_invalid_instance_when_validated_then_each_problem_names_the_field_itself(instance, expected):
    problems = problems_for(SchemaStore().validator(SCHEMA), instance, "x")
    assert sorted((p.path, p.message) for p in problems) == sorted(expected)


def test_given_odd_property_names_when_a_path_is_built_then_they_are_quoted():
    schema = {"type": "object", "required": ["a b"]}
    [problem] = problems_for(SchemaStore().validator(schema), {}, "cfg")
    assert problem.path == 'cfg["a b"]'


def test_given_a_secret_value_when_any_keyword_fails_then_no_message_contains_it():
    secret = "CANARY-SECRET-123"
    instance = {"id": secret, "lines": [{"sku": secret, "qty": secret, secret: 1}], "kind": secret, "size": secret}
    problems = problems_for(SchemaStore().validator(SCHEMA), instance, "x")
    assert problems and not any(secret in p.message for p in problems)
    assert {p.path for p in problems} >= {"x.id", "x.lines[0].qty", "x.kind", "x.size"}
