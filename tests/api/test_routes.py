"""The read-only routes: /healthz, /component, metadata, /select-model, and the 404s."""
from __future__ import annotations

import json

from api_helpers import FIXTURE, creds


async def test_given_the_service_when_healthz_then_ok(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_given_a_component_when_get_component_then_the_parsed_descriptor(client):
    response = await client.get("/component")
    assert response.status_code == 200
    assert response.json() == json.loads(FIXTURE.read_text())


async def test_given_an_action_when_get_metadata_then_in_and_out_with_every_ref_inlined(client):
    response = await client.get("/actions/echo/metadata")
    assert response.status_code == 200
    meta = response.json()
    assert "$ref" not in json.dumps(meta)
    item = meta["in"]["properties"]["items"]["items"]
    assert item["required"] == ["sku"]
    assert item["properties"]["sku"] == {"type": "string", "title": "SKU", "minLength": 1, "pattern": "^[A-Z0-9-]+$",
                                         "required": True}  # the builder projection (contract §2)
    assert "$defs" not in json.dumps(meta)
    assert meta["out"]["properties"]["items"]["items"]["title"] == "Item"


async def test_given_a_trigger_when_get_metadata_then_in_is_any_object(client):
    meta = (await client.get("/triggers/poll/metadata")).json()
    assert meta["in"] == {"type": "object", "properties": {}}  # contract §2: an object with no properties
    assert meta["out"]["properties"]["item"]["properties"]["sku"]["title"] == "SKU"


async def test_given_a_dynamic_step_when_post_metadata_with_cfg_then_get_meta_model_decides(client):
    response = await client.post("/actions/shaped/metadata", json={"cfg": {"kind": "item"}})
    assert response.status_code == 200
    meta = response.json()
    assert meta["in"]["required"] == ["sku"] and "$ref" not in json.dumps(meta)
    assert meta["out"] == {"type": "object", "properties": {"ok": {"type": "boolean"}}}


async def test_given_a_static_step_when_post_metadata_then_the_static_schemas(client):
    response = await client.post("/actions/echo/metadata", json={"cfg": {}})
    assert response.json() == (await client.get("/actions/echo/metadata")).json()


async def test_given_get_meta_model_fails_when_post_metadata_then_a_safe_500(client):
    response = await client.post("/actions/shaped/metadata", json={"cfg": creds(kind="broken")})
    assert response.status_code == 500
    assert "CANARY" not in response.text


async def test_given_an_unknown_key_when_any_step_route_then_404(client):
    for method, path in [("GET", "/actions/nope/metadata"), ("POST", "/actions/nope/metadata"),
                         ("GET", "/triggers/echo/metadata"), ("POST", "/actions/nope/execute"),
                         ("POST", "/triggers/nope/execute")]:
        response = await client.request(method, path, json={"cfg": creds()})
        assert response.status_code == 404, path
        assert response.json()["detail"][0]["path"] == "key"


async def test_given_marketplace_id_when_select_model_then_the_marketplaces(client):
    response = await client.post("/select-model", json={"step": "poll", "field": "marketplaceId", "cfg": {}})
    assert response.status_code == 200
    model = response.json()["model"]
    assert model["ATVPDKIKX0DER"].startswith("United States")


async def test_given_an_unknown_step_when_selecting_marketplaces_then_404(client):
    response = await client.post("/select-model", json={"step": "nope", "field": "marketplaceId", "cfg": {}})
    assert response.status_code == 404 and response.json()["detail"][0]["path"] == "step"


async def test_given_no_step_when_selecting_the_credentials_marketplace_then_the_marketplaces(client):
    response = await client.post("/select-model", json={"field": "marketplaceId", "cfg": {}})
    assert response.status_code == 200 and "ATVPDKIKX0DER" in response.json()["model"]


async def test_given_a_static_model_when_select_model_then_the_declared_object(client):
    response = await client.post("/select-model", json={"step": "poll", "field": "shape", "cfg": {}})
    assert response.json() == {"model": {"round": "Round", "square": "Square"}}


async def test_given_a_module_select_model_when_select_model_then_its_answer(client):
    response = await client.post("/select-model", json={"step": "poll", "field": "color", "cfg": {}})
    assert response.json() == {"model": {"red": "Red", "blue": "Blue"}}


async def test_given_a_named_model_function_when_select_model_then_it_is_called(client):
    response = await client.post("/select-model", json={"step": "shaped", "field": "kind", "cfg": {}})
    assert response.json() == {"model": {"item": "Item", "plain": "Plain"}}


async def test_given_an_unknown_field_or_step_when_select_model_then_404_naming_it(client):
    for body, path in [({"step": "poll", "field": "nothing"}, "field"), ({"step": "poll", "field": "note"}, "field"),
                       ({"step": "nope", "field": "color"}, "step")]:
        response = await client.post("/select-model", json=body)
        assert response.status_code == 404, body
        assert response.json()["detail"][0]["path"] == path


async def test_given_no_field_when_select_model_then_422(client):
    response = await client.post("/select-model", json={"step": "poll"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"path": "field", "message": "is required"}]}
