"""The words a person reads in a flow builder (issue 15): every step has a human title ("Get Feed
Submission Status", not its key) and a description; every field a label and a note. A new step or
field follows, or this fails."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

COMPONENT = json.loads((Path(__file__).resolve().parent.parent / "component.json").read_text())
STEPS = [(kind, key, step) for kind in ("triggers", "actions") for key, step in COMPONENT[kind].items()]
FIELDS = [(f"credentials.{name}", field) for name, field in COMPONENT["credentials"]["fields"].items()] + [
    (f"{key}.{name}", field) for _, key, step in STEPS for name, field in (step.get("fields") or {}).items()]
TITLE = re.compile(r"^[A-Z][A-Za-z]*(?: (?:\(?[A-Z][A-Za-z]*\)?|[a-z]+|-|\([A-Z][A-Za-z ]*\)))*$")


@pytest.mark.parametrize("kind, key, step", STEPS, ids=[key for _, key, _ in STEPS])
def test_given_each_step_then_a_human_title_and_a_description(kind, key, step):
    title = step.get("title") or ""
    assert TITLE.match(title), f"{key}: {title!r}"
    assert " " in title and not re.search(r"[a-z][A-Z]", title), f"{key}: {title!r} reads like a key"
    description = step.get("description") or ""
    assert len(description) >= 20 and description[0].isupper(), f"{key}: describe what it does"


@pytest.mark.parametrize("name, field", FIELDS, ids=[name for name, _ in FIELDS])
def test_given_each_field_then_a_label_and_a_note(name, field):
    label = field.get("label") or ""
    assert label and label[0].isupper() and not re.search(r"[a-z][A-Z]", label), f"{name}: {label!r}"
    assert len(field.get("note") or "") >= 10, f"{name}: a note says what to enter"
