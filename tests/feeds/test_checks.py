"""Specification of the semantic input checks the JSON Schemas cannot express."""
from __future__ import annotations

from app.feeds.checks import check_feed_input

PRICE = {"SKU": "A", "StandardPrice": {"value": 2, "currency": "USD"}}


def _sale(start: str, end: str) -> dict:
    return {**PRICE, "SalePrice": {"value": 1, "currency": "USD", "StartDate": start, "EndDate": end}}


def test_given_a_sale_ending_before_it_starts_when_checking_then_end_date_is_named():
    problems = check_feed_input("Price", {"messages": [PRICE, _sale("2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z")]})

    assert [p.path for p in problems] == ["msg.body.messages[1].SalePrice.EndDate"]


def test_given_an_unparseable_sale_date_when_checking_one_item_then_the_path_is_at_msg_body():
    problems = check_feed_input("Price", _sale("next week", "2026-01-01T00:00:00.000 +0000"))

    assert [p.path for p in problems] == ["msg.body.SalePrice.StartDate"]
    assert "next week" not in problems[0].message


def test_given_valid_sale_dates_in_mixed_forms_when_checking_then_no_problem():
    assert check_feed_input("Price", _sale("2026-01-01T00:00:00.000 +0000", "2026-01-02T00:00:00+01:00")) == []


def test_given_an_impossible_restock_date_when_checking_then_restock_date_is_named():
    problems = check_feed_input("Inventory", {"SKU": "A", "Quantity": 1, "RestockDate": "2026-02-30"})

    assert [p.path for p in problems] == ["msg.body.RestockDate"]
