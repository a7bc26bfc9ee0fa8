"""component.json: steps exist because they are declared; modules and schemas come from what they name."""
from __future__ import annotations

import pytest

from app.runtime.component import Component, StepNotFound, module_name


def test_given_a_main_path_when_converted_then_the_dotted_module_name():
    assert module_name("./app/actions/get_order.py") == "app.actions.get_order"
    assert module_name("app/triggers/get_new_and_updated_orders.py") == "app.triggers.get_new_and_updated_orders"


def test_given_the_fixture_component_when_loaded_then_every_declared_step_is_there(component):
    assert {(s.kind, s.key) for s in component.steps} == {("trigger", "poll"), ("action", "echo"), ("action", "shaped")}
    assert component.find("echo").kind == "action"


def test_given_an_undeclared_key_when_looked_up_then_step_not_found(component):
    with pytest.raises(StepNotFound):
        component.step("action", "poll")
    with pytest.raises(StepNotFound):
        component.find("nope")


def test_given_a_step_outside_the_project_when_its_module_is_loaded_then_once_from_its_file(component):
    step = component.find("echo")
    assert step.module is step.module and callable(step.module.process)


def test_given_a_step_with_a_cfg_file_when_its_cfg_schemas_are_read_then_credentials_then_its_own(component):
    schemas = component.find("poll").cfg_schemas
    assert len(schemas) == 2 and schemas[1]["properties"]["count"]["type"] == "integer"
    assert len(component.find("echo").cfg_schemas) == 1


def test_given_no_path_when_loaded_then_the_project_component_json():
    from app.settings import PROJECT_ROOT

    assert Component().path == (PROJECT_ROOT / "component.json").resolve()
