"""Feed actions refuse input no feed could carry with a 422 that names the field (step-api.md §2),
before anything reaches Amazon: the input schema first, then Amazon's XSDs (MWS_XSD_DIR)."""
from __future__ import annotations

import pytest

from feed_actions_helpers import skus

BAD = [
    ("updateItem", {"messages": [{"SKU": "A-1", "Quantity": 1}, {"Quantity": 2}]}, "msg.body.messages[1].SKU"),
    ("updateItem", {"messages": [{"SKU": "A-1", "Quantity": -3}]}, "msg.body.messages[0].Quantity"),
    ("submitInventory", {"SKU": "A-1", "Quantity": -1}, "msg.body.Quantity"),
    ("changeProductPrice", {"SKU": "A-1", "StandardPrice": {"value": "9.99"}}, "msg.body.StandardPrice.currency"),
    ("changeProductImage", {"SKU": "A-1", "ImageType": "Banner", "ImageLocation": "https://x.example/a.jpg"},
     "msg.body.ImageType"),
    ("updateOrder", {"messages": [{"statusCode": "Success"}]}, "msg.body.messages[0].amazonOrderID"),
    ("establishProductRelationships", {"ParentSKU": "P-1", "Relation": [{"SKU": "C-1"}]}, "msg.body.Relation[0].Type"),
]


@pytest.mark.parametrize(("key", "body", "path"), BAD, ids=[p for _, _, p in BAD])
async def test_given_input_the_schema_refuses_when_executed_then_422_names_the_field_and_nothing_is_sent(
        make_feed_service, key, body, path):
    svc = await make_feed_service()

    response = await svc.post_action(key, body)

    assert response.status_code == 422, response.text
    assert [d["path"] for d in response.json()["detail"]] == [path]
    assert svc.calls == []


async def test_given_a_price_with_more_decimals_than_the_xsd_allows_when_executed_then_422_names_it_and_no_feed_is_sent(
        make_feed_service, xsd_dir):
    # A JSON number escapes the schema's string pattern; Price.xsd allows 4 decimal places.
    svc = await make_feed_service()
    a, b = skus(svc, 2)
    messages = [{"SKU": a, "StandardPrice": {"value": "10.00", "currency": "USD"}},
                {"SKU": b, "StandardPrice": {"value": 12.345678, "currency": "USD"}}]

    response = await svc.post_action("changeProductPrice", {"messages": messages})

    assert response.status_code == 422, response.text
    (detail,) = response.json()["detail"]
    assert detail["path"] == "msg.body.messages[1].StandardPrice.value"
    assert "12.345678" not in response.text
    assert svc.calls == []


async def test_given_a_sale_date_that_is_no_date_when_executed_then_422_names_it_and_no_feed_is_sent(
        make_feed_service):
    svc = await make_feed_service()
    (sku,) = skus(svc, 1)
    sale = {"value": "8.00", "currency": "USD", "StartDate": "2027-02-30T00:00:00Z", "EndDate": "2027-03-01T00:00:00Z"}

    response = await svc.post_action("changeProductPrice", {"messages": [
        {"SKU": sku, "StandardPrice": {"value": "10.00", "currency": "USD"}, "SalePrice": sale}]})

    assert response.status_code == 422, response.text
    assert [d["path"] for d in response.json()["detail"]] == ["msg.body.messages[0].SalePrice.StartDate"]
    assert svc.calls == []


async def test_given_a_restock_date_that_is_no_date_when_executed_then_422_names_it(make_feed_service):
    svc = await make_feed_service()

    response = await svc.post_action("submitInventory", {"messages": [{"SKU": "A-1", "Quantity": 1},
                                                                      {"SKU": "A-2", "Quantity": 1,
                                                                       "RestockDate": "2027-13-01"}]})

    assert response.status_code == 422, response.text
    assert [d["path"] for d in response.json()["detail"]] == ["msg.body.messages[1].RestockDate"]
    assert svc.calls == []
