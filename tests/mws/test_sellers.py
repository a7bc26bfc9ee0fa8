"""verify_credentials: one ListMarketplaceParticipations call, verified only for a participated marketplace."""
from __future__ import annotations

import httpx
import pytest

from app.mws.sellers import verify_credentials
from app.runtime.context import Services
from app.settings import Settings

from .builders import CFG, error_body, participations, sent_params, xml_response

SELLERS = "/Sellers/2011-07-01"


@pytest.fixture
def services(http, clock):
    return Services(settings=Settings(), clock=clock, http=http)


async def test_given_the_seller_participates_in_the_marketplace_then_verified(router, services, script):
    s = script([xml_response(200, participations("A2EUQ1WTGCTBG2", "ATVPDKIKX0DER"))])
    router.post(SELLERS).mock(side_effect=s)
    assert await verify_credentials(CFG, services) == (True, None)
    assert len(s.requests) == 1
    params = sent_params(s.requests[0])
    assert params["Action"] == "ListMarketplaceParticipations" and params["Version"] == "2011-07-01"
    assert params["SellerId"] == CFG["sellerId"] and params["MWSAuthToken"] == CFG["mwsAuthToken"]


async def test_given_the_seller_is_not_in_the_marketplace_then_not_verified_with_a_reason_naming_it(
        router, services, script):
    router.post(SELLERS).mock(side_effect=script([xml_response(200, participations("A2EUQ1WTGCTBG2"))]))
    verified, reason = await verify_credentials(CFG, services)
    assert verified is False and "ATVPDKIKX0DER" in reason


async def test_given_a_bad_signature_then_not_verified_with_amazons_message_after_one_attempt(
        router, services, script):
    message = ("The request signature we calculated does not match the signature you provided. "
               "Check your AWS Secret Access Key and signing method.")
    s = script([xml_response(403, error_body("SignatureDoesNotMatch", message))])
    router.post(SELLERS).mock(side_effect=s)
    assert await verify_credentials(CFG, services) == (False, message)
    assert len(s.requests) == 1


@pytest.mark.parametrize("status", [500, 503])
async def test_given_a_transient_answer_then_one_attempt_no_backoff_and_not_verified(
        router, services, script, clock, status):
    s = script([xml_response(status, error_body("InternalError" if status == 500 else "RequestThrottled", "busy"))])
    router.post(SELLERS).mock(side_effect=s)
    start = clock.time()
    verified, reason = await verify_credentials(CFG, services)
    assert verified is False and reason == "busy"
    assert len(s.requests) == 1 and clock.time() == start


async def test_given_a_network_failure_then_not_verified_with_a_safe_reason(router, services, script):
    router.post(SELLERS).mock(side_effect=script([httpx.ConnectError(
        "boom https://mws.amazonservices.com/Sellers/2011-07-01?MWSAuthToken=amzn.mws.4ea38b7b")]))
    verified, reason = await verify_credentials(CFG, services)
    assert verified is False and "could not be reached" in reason
    assert "amzn.mws" not in reason and "amazonservices" not in reason


async def test_given_an_unknown_marketplace_without_endpoint_then_not_verified_naming_it(services):
    verified, reason = await verify_credentials({**CFG, "marketplaceId": "XNOPE"}, services)
    assert verified is False and "XNOPE" in reason


async def test_given_missing_credentials_then_not_verified_naming_the_field(services):
    verified, reason = await verify_credentials({**CFG, "accessKeyId": ""}, services)
    assert verified is False and "accessKeyId" in reason and CFG["secretAccessKey"] not in reason


async def test_given_the_amazon_doc_sample_answer_then_its_marketplace_verifies(router, services, script):
    from tests.conftest import SAMPLES, require_shared

    path = require_shared(SAMPLES / "official-docs" / "sellers_ListMarketplaceParticipations_response.xml")
    router.post(SELLERS).mock(side_effect=script([httpx.Response(200, content=path.read_bytes())]))
    assert await verify_credentials(CFG, services) == (True, None)
    assert await verify_credentials({**CFG, "marketplaceId": "A2Q3Y263D00KWC"}, services) == (
        False, "The seller does not participate in marketplace A2Q3Y263D00KWC")
