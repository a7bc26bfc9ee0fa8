"""A 422 says in words what to type, never a regular expression (issue 15: "3-7-7 digits, e.g. ...")."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.runtime.patterns import KNOWN_PATTERNS, pattern_words
from app.runtime.schemas import SchemaStore
from app.runtime.validation import problems_for

ROOT = Path(__file__).resolve().parents[2]


def _patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


SCHEMA_PATTERNS = sorted({p for f in (ROOT / "schemas").rglob("*.json") for p in _patterns(json.loads(f.read_text()))})


def test_given_the_schema_files_then_they_hold_patterns_to_check():
    assert len(SCHEMA_PATTERNS) >= 5


@pytest.mark.parametrize("pattern", SCHEMA_PATTERNS)
def test_given_every_pattern_of_the_component_schemas_then_it_has_plain_words(pattern):
    assert pattern in KNOWN_PATTERNS, f"add plain words for {pattern} to app/runtime/patterns.py"
    words = KNOWN_PATTERNS[pattern]
    assert words.startswith("must") and "\\" not in words and "^" not in words


@pytest.mark.parametrize("pattern, good, bad", [
    (r"^[0-9]{3}-[0-9]{7}-[0-9]{7}$", "114-3808039-1650643", "114-38080391650643"),
    (r"^\d{1,16}(\.\d{1,4})?$", "12.99", "12.99999"),
    (r"^(100|[1-9][0-9]?)$", "100", "101"),
    (r"^\d{4}-\d{2}-\d{2}$", "2026-12-31", "31.12.2026"),
])
def test_given_a_known_pattern_then_its_words_describe_what_it_accepts(pattern, good, bad):
    assert re.search(pattern, good) and not re.search(pattern, bad)
    schema = {"type": "string", "title": "Field", "pattern": pattern}
    [problem] = problems_for(SchemaStore().validator(schema), bad, "x")
    assert problem.message == f"Field: {KNOWN_PATTERNS[pattern]}"
    assert pattern not in problem.message


def test_given_an_unknown_pattern_then_the_description_or_a_neutral_sentence_never_the_regex():
    assert pattern_words("^[A-Z]{2}\\d+$", {"description": "two capitals then digits, e.g. AB12"}) == \
        "is not in the expected form: two capitals then digits, e.g. AB12"
    assert "[A-Z]" not in pattern_words("^[A-Z]{2}\\d+$", {})
