"""The step protocol (app.runtime.protocol): one signature per hook, checked when a module loads."""
from __future__ import annotations

import types

import pytest

from app.runtime.protocol import StepHooks, StepProtocolError
from app.settings import Settings


def _module(**hooks) -> types.ModuleType:
    module = types.ModuleType("fake_step")
    for name, fn in hooks.items():
        setattr(module, name, fn)
    return module


async def _process(ctx, msg):
    return None


def test_given_a_check_with_the_old_two_arguments_when_loaded_then_refused_naming_the_signature():
    with pytest.raises(StepProtocolError, match=r"check must take \(msg, cfg, settings\)"):
        StepHooks.of(_module(process=_process, check=lambda msg, cfg: []))


def test_given_no_process_when_loaded_then_refused():
    with pytest.raises(StepProtocolError, match="no process"):
        StepHooks.of(_module(check=lambda msg, cfg, settings: []))


def test_given_only_process_when_loaded_then_every_other_hook_has_its_default():
    hooks = StepHooks.of(_module(process=_process))
    assert hooks.check({}, {}, Settings()) == [] and hooks.check_snapshot({}) == []
    assert not hooks.has_meta_model


async def test_given_a_field_model_naming_a_function_when_select_model_then_it_answers_with_cfg():
    async def kinds(cfg):
        return {"a": cfg["label"]}

    hooks = StepHooks.of(_module(process=_process, kinds=kinds))
    assert await hooks.select_model("kind", {"label": "A"}, "kinds") == {"a": "A"}
    assert await hooks.select_model("kind", {}, "nothing") is None


async def test_given_select_model_and_get_meta_model_sync_or_async_when_called_then_both_answer():
    async def get_meta_model(cfg, settings):
        return {"in": {"type": "object"}, "out": {"title": str(settings.mws_pacing)}}

    hooks = StepHooks.of(_module(process=_process, select_model=lambda field, cfg: {field: field},
                                 get_meta_model=get_meta_model))
    assert await hooks.select_model("x", {}, None) == {"x": "x"}
    assert (await hooks.get_meta_model({}, Settings()))["out"]["title"] == "True"
