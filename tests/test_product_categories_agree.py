"""Specification: the 30 product categories are written down once per consumer and must agree.

app/feeds/product.py CATEGORIES is the table the code uses; the schemas carry the same values as enums
(submitProduct's cfg, the per-item `category` of submitProductCategoryFromPayload in
schemas/common/product.json); the contract (design/step-api.md) names the labels.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

import pytest

from app.feeds.product import CATEGORIES
from app.runtime.component import Component
from tests.conftest import PROJECT_ROOT, SHARED, require_shared

SCHEMAS = PROJECT_ROOT / "schemas"
# "Auto Accessories → AutoAccessory", "Software and Video Games → SWVG (its element is `SoftwareVideoGames`)"
_PAIR = re.compile(r"\s*(?P<label>[^,→]+?) → (?P<value>\w+)(?: \(its element is `(?P<element>\w+)`\))?\s*(?:,|\.$)")


def _category_enums(node: Any, where: str) -> Iterator[tuple[str, list]]:
    """Every `"category": {..., "enum": [...]}` in a schema document, with where it sits."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "category" and isinstance(value, dict) and "enum" in value:
                yield f"{where}/{key}", value["enum"]
            yield from _category_enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _category_enums(value, f"{where}/{index}")


def _contract_categories() -> list[tuple[str, str, str]]:
    """(label, value, ProductData element) in the contract's order."""
    text = require_shared(SHARED / "design" / "step-api.md").read_text(encoding="utf-8")
    start = text.index("Categories of `submitProduct`")
    paragraph = " ".join(text[text.index(":", start) + 1:text.index("\n\n", start)].split())
    return [(m["label"], m["value"], m["element"] or m["value"]) for m in _PAIR.finditer(paragraph)]


def test_given_the_schema_files_when_reading_every_category_enum_then_each_equals_the_categories_in_order():
    found = [(f"{path.relative_to(SCHEMAS)}{where}", enum)
             for path in sorted(SCHEMAS.rglob("*.json"))
             for where, enum in _category_enums(json.loads(path.read_text(encoding="utf-8")), "#")]
    places = {where.split("#")[0] for where, _ in found}
    assert {"actions/submitProduct.cfg.json", "common/product.json"} <= places
    for where, enum in found:
        assert enum == list(CATEGORIES), where


@pytest.mark.parametrize("action", ["submitProduct", "submitProductCategoryFromPayload"])
def test_given_the_served_metadata_when_inlined_then_its_category_enums_equal_the_categories(action):
    step = Component(PROJECT_ROOT).step("action", action)
    served = [enum for _, enum in _category_enums(step.metadata["in"], "#")]
    if action == "submitProductCategoryFromPayload":
        assert served, "the per-item category must be served inline"
    assert all(enum == list(CATEGORIES) for enum in served)


def test_given_the_contract_table_when_compared_then_categories_hold_its_30_labels_values_and_elements():
    contract = _contract_categories()
    assert len(contract) == 30
    assert [(value, (label, element)) for label, value, element in contract] == list(CATEGORIES.items())
    assert CATEGORIES["SWVG"] == ("Software and Video Games", "SoftwareVideoGames")
