"""Signature V2, Timestamp window and seller grants, checked with the tests' own signer."""
from __future__ import annotations

import httpx

from app.sandbox import DEMO, Sandbox
from app.sandbox.mws.auth import signature as sandbox_signature
from app.sandbox.mws.errors import SIGNATURE_MISMATCH

from .helpers import ORDERS, SELLERS, Caller, error_code, sign, text, xml

VECTOR_PARAMS = {
    "AWSAccessKeyId": "AKIAEXAMPLEACCESSKEY", "Action": "ListOrders", "SellerId": "A1EXAMPLESELLER",
    "MWSAuthToken": "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE", "SignatureMethod": "HmacSHA256",
    "SignatureVersion": "2", "Timestamp": "2017-02-05T18:12:21.687Z", "Version": "2013-09-01",
    "CreatedAfter": "2017-02-01T18:12:21Z", "MarketplaceId.Id.1": "ATVPDKIKX0DER",
    "MarketplaceId.Id.2": "A2EUQ1WTGCTBG2", "OrderStatus.Status.1": "Unshipped",
    "OrderStatus.Status.2": "PartiallyShipped", "BuyerEmail": "a b+c/d=é~x@example.com",
}
VECTOR_SIGNATURE = "lnBucMqhvVDXXoUyh8Ok//KsxKI3rs7XACUGNZHa44s="


def test_given_vector_c_when_signed_by_the_test_signer_and_the_sandbox_then_both_match_the_reference():
    args = ("POST", "MWS.AmazonServices.com", "/Orders/2013-09-01", VECTOR_PARAMS, "EXAMPLEsecret/Key+123=")
    assert sign(*args) == VECTOR_SIGNATURE
    assert sandbox_signature(*args) == VECTOR_SIGNATURE


async def test_given_demo_credentials_when_signed_correctly_then_the_call_succeeds(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations")
    assert response.status_code == 200, response.text


async def test_given_hmac_sha1_when_signed_with_it_then_the_sandbox_verifies_with_sha1(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", SignatureMethod="HmacSHA1")
    assert response.status_code == 200, response.text


async def test_given_a_get_with_query_parameters_when_signed_as_get_then_the_call_succeeds(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", method="GET")
    assert response.status_code == 200, response.text


async def test_given_a_wrong_secret_when_calling_then_403_signature_does_not_match_with_amazons_message(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", secret="not-the-secret")
    assert response.status_code == 403
    doc = xml(response)
    assert text(doc, "Error/Code") == "SignatureDoesNotMatch"
    assert text(doc, "Error/Message") == SIGNATURE_MISMATCH
    assert text(doc, "Error/Type") == "Sender"


async def test_given_a_parameter_changed_after_signing_when_calling_then_403_signature_does_not_match(mws):
    response = await mws.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": "111-0000000-0000000"},
                              tamper={"AmazonOrderId.Id.1": "111-0000000-0000001"})
    assert (response.status_code, error_code(response)) == (403, "SignatureDoesNotMatch")


async def test_given_the_signature_method_named_differs_from_the_one_used_then_403(mws):
    bad = sign("POST", "sandbox.test", SELLERS, mws.params(SELLERS, "ListMarketplaceParticipations"),
               DEMO["secretAccessKey"], "HmacSHA1")
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", signature=bad)
    assert (response.status_code, error_code(response)) == (403, "SignatureDoesNotMatch")


async def test_given_an_unknown_access_key_when_calling_then_403_invalid_access_key_id(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", AWSAccessKeyId="AKIAUNKNOWN")
    assert (response.status_code, error_code(response)) == (403, "InvalidAccessKeyId")


async def test_given_a_host_with_a_port_when_signed_with_the_port_then_ok_and_without_it_then_403(http, clock):
    caller = Caller(http, clock, host="localhost:9000")
    assert (await caller.call(SELLERS, "ListMarketplaceParticipations")).status_code == 200
    response = await caller.call(SELLERS, "ListMarketplaceParticipations", sign_host="localhost")
    assert response.status_code == 403


async def test_given_an_uppercase_host_header_when_signing_lowercased_then_ok(http, clock):
    caller = Caller(http, clock, host="SANDBOX.Test")
    assert (await caller.call(SELLERS, "ListMarketplaceParticipations")).status_code == 200


async def test_given_the_sandbox_mounted_at_a_prefix_when_signing_the_full_path_then_ok_else_403(sandbox, clock):
    async with httpx.AsyncClient(transport=sandbox.transport("/sandbox/mws")) as http:
        caller = Caller(http, clock, prefix="/sandbox/mws")
        assert (await caller.call(ORDERS, "GetServiceStatus")).status_code == 200
        response = await caller.call(ORDERS, "GetServiceStatus", sign_path=ORDERS)
        assert (response.status_code, error_code(response)) == (403, "SignatureDoesNotMatch")


async def test_given_no_timestamp_when_calling_then_400_malformed_input(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", Timestamp=None)
    assert (response.status_code, error_code(response)) == (400, "MalformedInput")


async def test_given_an_unparsable_timestamp_when_calling_then_400_malformed_input(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", Timestamp="yesterday")
    assert (response.status_code, error_code(response)) == (400, "MalformedInput")


async def test_given_a_timestamp_16_minutes_old_or_ahead_when_calling_then_400_request_expired(mws, clock):
    from .helpers import iso
    for skew in (-16 * 60, 16 * 60):
        response = await mws.call(SELLERS, "ListMarketplaceParticipations", Timestamp=iso(clock.time() + skew))
        assert (response.status_code, error_code(response)) == (400, "RequestExpired")
        assert "Timestamp date" in text(xml(response), "Error/Message")


async def test_given_a_timestamp_14_minutes_off_when_calling_then_it_is_accepted(mws, clock):
    from .helpers import iso
    for skew in (-14 * 60, 14 * 60):
        response = await mws.call(SELLERS, "ListMarketplaceParticipations", Timestamp=iso(clock.time() + skew))
        assert response.status_code == 200


async def test_given_the_sandbox_clock_runs_ahead_when_the_timestamp_matches_the_wall_then_accepted(clock):
    wall = {"now": clock.time()}
    sb = Sandbox(clock=clock, wall=lambda: wall["now"])
    clock.advance(3 * 3600)            # sandbox time runs far ahead; the real clock does not
    async with httpx.AsyncClient(transport=sb.transport()) as http:
        from .helpers import iso

        caller = Caller(http, clock)
        ok = await caller.call(SELLERS, "ListMarketplaceParticipations", Timestamp=iso(wall["now"]))
        assert ok.status_code == 200
        late = await caller.call(SELLERS, "ListMarketplaceParticipations")
        assert error_code(late) == "RequestExpired"


async def test_given_an_unknown_seller_when_calling_then_401_access_denied(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", SellerId="A9UNKNOWN")
    assert (response.status_code, error_code(response)) == (401, "AccessDenied")


async def test_given_a_wrong_or_missing_auth_token_when_calling_then_401_access_denied(mws):
    for token in ("amzn.mws.wrong", None):
        response = await mws.call(SELLERS, "ListMarketplaceParticipations", MWSAuthToken=token)
        assert (response.status_code, error_code(response)) == (401, "AccessDenied")


async def test_given_no_seller_id_when_calling_then_400_missing_parameter(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", SellerId=None)
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")


async def test_given_no_signature_or_access_key_when_calling_then_400_missing_parameter(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", signature="")
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", AWSAccessKeyId=None)
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")


async def test_given_signature_version_1_when_calling_then_400_invalid_parameter_value(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipations", SignatureVersion="1")
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_the_mws_app_mounted_by_a_starlette_service_at_sandbox_mws_then_full_path_signing_works(
        sandbox, clock):
    from starlette.applications import Starlette
    from starlette.routing import Mount

    service = Starlette(routes=[Mount("/sandbox/mws", app=sandbox.mws_app),
                                Mount("/sandbox/admin", app=sandbox.admin_app)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=service)) as http:
        caller = Caller(http, clock, prefix="/sandbox/mws")
        assert (await caller.call(ORDERS, "GetServiceStatus")).status_code == 200
        wrong = await caller.call(ORDERS, "GetServiceStatus", sign_path=ORDERS)
        assert error_code(wrong) == "SignatureDoesNotMatch"
        assert (await http.get("http://sandbox.test/sandbox/admin/state")).status_code == 200
