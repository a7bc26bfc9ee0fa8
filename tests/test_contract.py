"""The descriptor stays honest: component.json, the schemas it names and the modules it names agree.

Written over whatever component.json declares, so a new step is checked the moment it is added.
"""
from __future__ import annotations

import asyncio
import json
import inspect
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from app.backends import AmazonHooks
from app.runtime.component import Component
from app.settings import Settings

COMPONENT = Component()
STEPS = COMPONENT.steps
IDS = [f"{s.kind}:{s.key}" for s in STEPS]
SECRET_FIELDS = ("secretAccessKey", "mwsAuthToken", "lwaClientSecret", "refreshToken")


def test_given_the_credentials_when_component_json_and_credentials_json_are_compared_then_they_agree():
    fields = COMPONENT.credential_fields
    schema = COMPONENT.credentials_schema
    assert set(fields) == set(schema["properties"])
    assert {name for name, f in fields.items() if f.get("required")} == set(schema.get("required", []))
    # Required on both backends; the rest by backend (sp-api.md §1), checked by AmazonHooks.check_cfg.
    assert set(schema["required"]) == {"sellerId", "marketplaceId"}
    assert set(fields) == {"sellerId", "mwsAuthToken", "accessKeyId", "secretAccessKey", "marketplaceId", "endpointUrl",
                           "lwaClientId", "lwaClientSecret", "refreshToken", "lwaEndpointUrl"}


@pytest.mark.parametrize("name", SECRET_FIELDS)
def test_given_a_secret_credential_when_declared_then_it_is_a_password_field(name):
    assert COMPONENT.credential_fields[name]["viewClass"] == "PasswordFieldView"


def test_given_credentials_json_when_checked_then_a_valid_draft_2020_12_schema_that_allows_other_keys():
    COMPONENT.schemas.check(COMPONENT.credentials_path)
    assert COMPONENT.credentials_schema.get("additionalProperties", True) is True


@pytest.mark.parametrize("cfg,valid", [
    ({"sellerId": "S", "accessKeyId": "A", "secretAccessKey": "K", "marketplaceId": "M"}, True),
    ({"sellerId": "S", "accessKeyId": "A", "secretAccessKey": "K", "marketplaceId": "M", "_account": "x",
      "mwsAuthToken": "", "endpointUrl": "http://127.0.0.1:9000"}, True),
    ({"sellerId": "S", "accessKeyId": "A", "secretAccessKey": "K", "marketplaceId": "M", "endpointUrl": ""}, True),
    ({"sellerId": "", "accessKeyId": "A", "secretAccessKey": "K", "marketplaceId": "M"}, False),
    ({"sellerId": "S", "accessKeyId": "A", "secretAccessKey": "K", "marketplaceId": "M", "endpointUrl": "ftp://x"}, False),
    ({"sellerId": "S", "accessKeyId": "A", "secretAccessKey": "K", "marketplaceId": "M", "endpointUrl": "not a url"}, False),
    ({"sellerId": "S", "accessKeyId": "A", "marketplaceId": "M"}, False),
    ({"sellerId": "S", "marketplaceId": "M", "lwaClientId": "C", "lwaClientSecret": "X", "refreshToken": "R"}, True),
    ({"sellerId": "S", "marketplaceId": "M", "lwaClientId": "C", "refreshToken": "R"}, False),
])
def test_given_a_cfg_when_validated_against_credentials_json_then_the_contract_fields_decide(cfg, valid):
    schema_ok = COMPONENT.schemas.validator(COMPONENT.credentials_schema).is_valid(cfg)
    by_backend = AmazonHooks().check_cfg(cfg, Settings(endpoint_allowlist=("http://127.0.0.1:9000",)), sandbox_mounted=False)
    assert (schema_ok and not by_backend) is valid


def test_given_component_json_when_read_then_it_declares_steps():
    assert STEPS, "component.json declares no trigger or action"


@pytest.mark.parametrize("step", STEPS, ids=IDS)
def test_given_a_declared_step_when_its_module_is_imported_then_it_has_an_async_process(step):
    module = step.module  # the import itself is part of the check
    assert inspect.iscoroutinefunction(getattr(module, "process", None)), f"{step.definition['main']} lacks async process()"


@pytest.mark.parametrize("step", STEPS, ids=IDS)
def test_given_a_declared_step_when_its_schema_files_are_checked_then_each_exists_is_2020_12_and_resolves(step):
    for path in step.schema_paths():
        assert path.exists(), f"{step.kind} {step.key}: {path} is missing"
        COMPONENT.schemas.check(path)
    for part in ("in", "out"):
        inline = (step.definition.get("metadata") or {}).get(part)
        if isinstance(inline, dict):
            Draft202012Validator.check_schema(inline)
    assert "$ref" not in str(step.metadata)


@pytest.mark.parametrize("step", STEPS, ids=IDS)
def test_given_a_declared_step_when_its_fields_are_compared_then_each_is_in_its_cfg_schema(step):
    if not step.fields:
        return
    cfg_schemas = step.cfg_schemas[1:]
    if not cfg_schemas:
        pytest.skip(f"{step.kind} {step.key} has no schemas/{step.kind}s/{step.key}.cfg.json")
    properties = cfg_schemas[0].get("properties") or {}
    assert set(step.fields) <= set(properties), f"fields missing from the cfg schema: {set(step.fields) - set(properties)}"


@pytest.mark.parametrize("step", STEPS, ids=IDS)
def test_given_a_field_with_a_named_model_when_asked_then_the_module_serves_its_choices(step):
    for name, field in step.fields.items():
        model = field.get("model")
        if isinstance(model, str):
            hook = getattr(step.module, "select_model", None)
            if hook is not None:
                result = hook(name, {})
                result = asyncio.run(result) if inspect.isawaitable(result) else result
            else:
                fn = getattr(step.module, model, None)
                assert callable(fn), f"{step.key}.{name}: no select_model() and no {model}()"
                result = fn({})
                result = asyncio.run(result) if inspect.isawaitable(result) else result
            assert isinstance(result, dict) and result, f"{step.key}.{name}: no choices"


@pytest.mark.parametrize("step", STEPS, ids=IDS)
def test_given_a_dynamic_metadata_step_when_loaded_then_it_has_get_meta_model(step):
    if step.dynamic:
        assert callable(getattr(step.module, "get_meta_model", None))


TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("step", STEPS, ids=IDS)
def test_given_a_declared_step_when_the_tests_are_searched_then_one_exercises_it(step):
    # Through the HTTP API, by key: `"<key>"` as a string in a test of its kind's folder.
    folder = TESTS / ("triggers" if step.kind == "trigger" else "actions")
    quoted = (f'"{step.key}"', f"'{step.key}'")
    assert any(q in path.read_text() for path in folder.glob("*.py") for q in quoted), \
        f"no test under {folder.name}/ names {step.key}"


def test_given_every_mws_operation_the_client_knows_when_the_sandbox_is_asked_then_it_has_a_handler():
    from app.mws.operations import operations
    from app.sandbox import Sandbox

    served = {(section.name, action) for section in Sandbox().sections for action in section.handlers}
    missing = [op.qualified_name for op in operations() if (op.section, op.name) not in served]
    assert missing == []


@pytest.mark.parametrize("step", STEPS, ids=IDS)
def test_given_a_field_with_inline_choices_when_its_module_is_asked_then_they_agree(step):
    # component.json carries static choices inline (a credentials form cannot call a function); the
    # module's select_model answers the same, so the two can never drift apart.
    for name, field in step.fields.items():
        model = field.get("model")
        if isinstance(model, dict):
            result = asyncio.run(step.hooks.select_model(name, {}, None))
            assert result == model, f"{step.key}.{name}: component.json and select_model disagree"


def test_given_the_marketplace_field_when_read_then_its_choices_are_inline_and_the_backends():
    model = COMPONENT.credential_fields["marketplaceId"]["model"]
    assert isinstance(model, dict) and model == AmazonHooks().select_model("marketplaceId", {})


def test_given_the_schema_files_component_json_names_when_read_then_each_is_self_contained():
    # elastic.io resolves no reference outside a file; schemas/common stays where fragments are edited.
    import subprocess
    import sys

    for step in STEPS:
        for path in step.schema_paths():
            if "spapi" in path.parts:
                continue  # a variant's files are served by the service (inlined), never read by elastic.io
            refs = [r for r in _refs(json.loads(path.read_text())) if not r.startswith("#")]
            assert refs == [], f"{path.name} refers outside itself: {refs[:3]}"
    tool = Path(__file__).resolve().parent.parent / "tools" / "bundle_schemas.py"
    check = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for k, v in node.items() if k not in ("enum", "const", "default", "examples") for r in _refs(v)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []
