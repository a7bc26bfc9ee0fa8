"""SP-API credentials choose the SP-API rules before anything runs (sp-api.md §1, §5): the fields each
backend requires, and what a JSON listings feed cannot carry, are 422s at their own paths."""
from __future__ import annotations

import pytest

from orders_helpers import QUIET

SPAPI = {"lwaClientId": "amzn1.application-oa2-client.sandboxdemo", "lwaClientSecret": "sandbox-client-secret",
         "refreshToken": "Atzr|sandbox-demo-refresh-token", "sellerId": "A1SANDBOXSELLER", "marketplaceId": "ATVPDKIKX0DER"}


async def _paths(svc, key, body, cfg=SPAPI):
    response = await svc.client.post(f"/actions/{key}/execute", json={"cfg": cfg, "msg": {"body": body}})
    assert response.status_code == 422, response.text
    return [p["path"] for p in response.json()["detail"]]


@pytest.mark.parametrize("missing", ["lwaClientId", "lwaClientSecret", "sellerId", "marketplaceId"])
async def test_given_an_spapi_cfg_without_a_required_field_when_executed_then_422_at_it(make_service, missing):
    svc = await make_service(order_every=QUIET)
    cfg = {k: v for k, v in SPAPI.items() if k != missing}
    assert f"cfg.{missing}" in await _paths(svc, "getOrder", {"amazonOrderIds": ["114-3808039-1650643"]}, cfg)
    assert svc.calls == []


async def test_given_an_mws_cfg_without_its_secret_when_executed_then_422_at_it(make_service):
    svc = await make_service(order_every=QUIET)
    cfg = {k: v for k, v in svc.cfg.items() if k != "secretAccessKey"}
    assert await _paths(svc, "getOrder", {"amazonOrderIds": ["114-3808039-1650643"]}, cfg) == ["cfg.secretAccessKey"]


@pytest.mark.parametrize("key, body, path", [
    ("submitInventory", {"SKU": "A", "Quantity": 1, "SwitchFulfillmentTo": "AFN"}, "msg.body.SwitchFulfillmentTo"),
    ("establishProductRelationships", {"messages": [{"ParentSKU": "P", "Relation": [{"SKU": "C", "Type": "Accessory"}]}]},
     "msg.body.messages[0].Relation[0].Type"),
    ("changeProductImage", {"SKU": "A", "ImageType": "PFUK", "ImageLocation": "https://example.com/a.jpg"},
     "msg.body.ImageType"),
    ("submitProduct", {"SKU": "A", "productType": "LUGGAGE"}, "msg.body.attributes"),
    ("submitProduct", {"SKU": "A", "DescriptionData": {"Title": "MWS-shaped"}}, "msg.body.DescriptionData"),
])
async def test_given_what_a_json_listings_feed_cannot_carry_when_executed_on_spapi_then_422_and_nothing_sent(
        make_service, key, body, path):
    svc = await make_service(order_every=QUIET)
    cfg = {**SPAPI, "category": "LUGGAGE"} if key == "submitProduct" else SPAPI
    assert await _paths(svc, key, body, cfg) == [path]
    assert svc.calls == []


async def test_given_an_spapi_cfg_when_the_product_metadata_is_asked_then_the_listings_form(make_service):
    svc = await make_service(order_every=QUIET)
    response = await svc.client.post("/actions/submitProduct/metadata", json={"cfg": {**SPAPI, "category": "LUGGAGE"}})
    item = response.json()["in"]["else"]
    assert {"SKU", "productType", "attributes", "requirements"} <= set(item["properties"])
    mws = (await svc.client.get("/actions/submitProduct/metadata")).json()["in"]
    assert "DescriptionData" in str(mws) and "DescriptionData" not in str(item)
