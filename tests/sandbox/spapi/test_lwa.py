"""LWA at /sandbox/lwa/token, and SP-API's 403 for a missing, unknown or expired access token."""
from __future__ import annotations

import httpx

from app.sandbox import Sandbox

from .helpers import PARTICIPATIONS, token_form


async def test_given_the_demo_credentials_when_asking_a_token_then_an_opaque_bearer_token_for_an_hour(web):
    response = await web.post("/sandbox/lwa/token", data=token_form())
    body = response.json()
    assert response.status_code == 200
    assert body["access_token"].startswith("Atza|") and len(body["access_token"]) > 100
    assert (body["token_type"], body["expires_in"], body["refresh_token"]) == \
        ("bearer", 3600, token_form()["refresh_token"])
    assert response.headers["x-amzn-requestid"]


async def test_given_a_time_scale_when_asking_a_token_then_expires_in_is_shortened_by_it(clock):
    sandbox = Sandbox(clock=clock, wall=clock.time, time_scale=60)
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url="http://sandbox.local") as web:
        response = await web.post("/sandbox/lwa/token", data=token_form())
    assert response.json()["expires_in"] == 60


async def test_given_an_unknown_client_or_a_wrong_secret_when_asking_a_token_then_401_invalid_client(web):
    for form in (token_form(client_id="amzn1.application-oa2-client.other"), token_form(client_secret="wrong")):
        response = await web.post("/sandbox/lwa/token", data=form)
        assert response.status_code == 401
        assert response.json() == {"error": "invalid_client", "error_description": "Client authentication failed"}


async def test_given_an_unknown_refresh_token_when_asking_a_token_then_400_invalid_grant(web):
    response = await web.post("/sandbox/lwa/token", data=token_form(refresh_token="Atzr|not-a-grant"))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert set(response.json()) == {"error", "error_description"}


async def test_given_a_refresh_token_of_another_application_when_asking_a_token_then_400_invalid_grant(web, sandbox):
    sandbox.spapi.lwa.add_grant("amzn1.application-oa2-client.other", "other-secret", "Atzr|other", "A1SANDBOXSELLER")
    response = await web.post("/sandbox/lwa/token", data=token_form(refresh_token="Atzr|other"))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")


async def test_given_a_missing_parameter_or_another_grant_type_when_asking_a_token_then_400(web):
    response = await web.post("/sandbox/lwa/token", data=token_form(client_secret=None))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")
    assert "client_secret" in response.json()["error_description"]
    response = await web.post("/sandbox/lwa/token", data=token_form(grant_type="authorization_code"))
    assert (response.status_code, response.json()["error"]) == (400, "unsupported_grant_type")


async def test_given_no_token_when_calling_sp_api_then_403_unauthorized_with_a_request_id(sp):
    response = await sp.get(PARTICIPATIONS, token=None)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "Unauthorized"
    assert response.json()["errors"][0]["message"] == "Access to requested resource is denied."
    assert response.headers["x-amzn-requestid"]
    assert "x-amzn-ratelimit-limit" not in response.headers


async def test_given_an_unknown_token_when_calling_sp_api_then_403_unauthorized(sp):
    response = await sp.get(PARTICIPATIONS, token="Atza|made-up")
    assert (response.status_code, response.json()["errors"][0]["code"]) == (403, "Unauthorized")
    assert "expired" not in response.json()["errors"][0]["details"]


async def test_given_a_token_past_expires_in_when_calling_sp_api_then_403_saying_it_expired(sp, clock):
    token = await sp.token()
    assert (await sp.get(PARTICIPATIONS, token=token)).status_code == 200
    clock.advance(3600)
    response = await sp.get(PARTICIPATIONS, token=token)
    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert (error["code"], error["message"]) == ("Unauthorized", "Access to requested resource is denied.")
    assert "expired" in error["details"]
    assert (await sp.get(PARTICIPATIONS, token=await sp.token(fresh=True))).status_code == 200


async def test_given_sellers_when_listing_participations_then_the_mws_sellers_marketplaces_in_the_payload(sp, sandbox):
    response = await sp.get(PARTICIPATIONS)
    ids = [p["marketplace"]["id"] for p in response.json()["payload"]]
    assert ids[:2] == ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"]
    assert ids == [m for s in sandbox.state()["sellers"] if s["sellerId"] == "A1SANDBOXSELLER" for m in s["marketplaces"]]
    assert all(p["participation"] == {"isParticipating": True, "hasSuspendedListings": False}
               for p in response.json()["payload"])
