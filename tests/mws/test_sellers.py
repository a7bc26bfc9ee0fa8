"""verify_credentials: ListMarketplaceParticipations (following NextToken), verified only for a participated marketplace."""
from __future__ import annotations

import httpx
import pytest

from app.mws.sellers import MAX_PAGES, verify_credentials
from app.runtime.context import Services
from app.settings import Settings

from .builders import CFG, error_body, participations, sent_params, xml_response

SELLERS = "/Sellers/2011-07-01"
BY_NEXT_TOKEN = "ListMarketplaceParticipationsByNextToken"


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
    # The sample carries a NextToken: a marketplace not on it is looked for on the next page too
    # (before paging was followed, this case answered false after the first page alone).
    s = script([httpx.Response(200, content=path.read_bytes()),
                xml_response(200, participations("A1F83G8C2ARO7P", operation=BY_NEXT_TOKEN))])
    router.post(SELLERS).mock(side_effect=s)
    assert await verify_credentials({**CFG, "marketplaceId": "A2Q3Y263D00KWC"}, services) == (
        False, "The seller does not participate in marketplace A2Q3Y263D00KWC")
    assert [sent_params(r)["Action"] for r in s.requests] == ["ListMarketplaceParticipations", BY_NEXT_TOKEN]


# -- paging ---------------------------------------------------------------------------------------------

async def test_given_the_marketplace_on_the_second_page_when_verifying_then_next_token_is_followed_and_verified(
        router, services, script, clock):
    s = script([xml_response(200, participations("A2EUQ1WTGCTBG2", "A1F83G8C2ARO7P", next_token="page-2")),
                xml_response(200, participations("ATVPDKIKX0DER", operation=BY_NEXT_TOKEN))])
    router.post(SELLERS).mock(side_effect=s)
    start = clock.time()
    assert await verify_credentials(CFG, services) == (True, None)
    second = sent_params(s.requests[1])
    assert (second["Action"], second["NextToken"]) == (BY_NEXT_TOKEN, "page-2")
    assert len(s.requests) == 2 and clock.time() == start  # no pacing wait, no backoff


async def test_given_the_marketplace_on_the_first_page_of_several_when_verifying_then_later_pages_are_not_read(
        router, services, script):
    s = script([xml_response(200, participations("ATVPDKIKX0DER", next_token="page-2"))])
    router.post(SELLERS).mock(side_effect=s)
    assert await verify_credentials(CFG, services) == (True, None)
    assert len(s.requests) == 1


async def test_given_the_marketplace_on_no_page_when_the_pages_end_then_not_verified_naming_it(
        router, services, script):
    s = script([xml_response(200, participations("A2EUQ1WTGCTBG2", next_token="page-2")),
                xml_response(200, participations("A1F83G8C2ARO7P", next_token="page-3", operation=BY_NEXT_TOKEN)),
                xml_response(200, participations("A1PA6795UKMFR9", operation=BY_NEXT_TOKEN))])
    router.post(SELLERS).mock(side_effect=s)
    verified, reason = await verify_credentials(CFG, services)
    assert verified is False and "ATVPDKIKX0DER" in reason
    assert len(s.requests) == 3


async def test_given_a_throttled_second_page_when_verifying_then_not_verified_after_one_attempt_without_waiting(
        router, services, script, clock):
    s = script([xml_response(200, participations("A2EUQ1WTGCTBG2", next_token="page-2")),
                xml_response(503, error_body("RequestThrottled", "Request is throttled", type_=""))])
    router.post(SELLERS).mock(side_effect=s)
    start = clock.time()
    assert await verify_credentials(CFG, services) == (False, "Request is throttled")
    assert len(s.requests) == 2 and clock.time() == start


async def test_given_a_server_that_never_stops_paging_when_verifying_then_the_pages_are_bounded(
        router, services, script):
    # A new token every page (a repeated one is refused sooner: test_hostile_paging).
    s = script([xml_response(200, participations("A2EUQ1WTGCTBG2", next_token=f"again-{n}", operation=BY_NEXT_TOKEN))
                for n in range(1, MAX_PAGES + 2)])
    s.answers.insert(0, xml_response(200, participations("A2EUQ1WTGCTBG2", next_token="again")))
    router.post(SELLERS).mock(side_effect=s)
    verified, reason = await verify_credentials(CFG, services)
    assert verified is False and "ATVPDKIKX0DER" in reason
    assert len(s.requests) == MAX_PAGES
