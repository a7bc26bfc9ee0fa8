"""Sellers: ListMarketplaceParticipations pages so that ...ByNextToken is exercised."""
from __future__ import annotations

from app.sandbox import DEMO

from .helpers import SELLERS, error_code, text, texts, xml


async def test_given_the_demo_seller_when_listing_participations_then_us_and_ca_first_and_a_next_token(mws):
    doc = xml(await mws.call(SELLERS, "ListMarketplaceParticipations"))
    assert texts(doc, "MarketplaceId")[:2] == ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"]
    assert set(texts(doc, "SellerId")) == {DEMO["sellerId"]}
    assert texts(doc, "DefaultCurrencyCode") == ["USD", "CAD"]
    assert text(doc, "ListMarketplaceParticipationsResult/NextToken")


async def test_given_the_next_token_when_listing_by_next_token_then_the_rest_and_no_token(mws):
    first = xml(await mws.call(SELLERS, "ListMarketplaceParticipations"))
    token = text(first, "ListMarketplaceParticipationsResult/NextToken")
    response = await mws.call(SELLERS, "ListMarketplaceParticipationsByNextToken", {"NextToken": token})
    doc = xml(response)
    assert response.status_code == 200
    assert texts(doc, "MarketplaceId") == ["A6W85IYQ5WB1C", "A6W85IYQ5WB1C"]  # participation and marketplace
    assert text(doc, "ListMarketplaceParticipationsByNextTokenResult/NextToken") is None


async def test_given_a_garbled_token_when_listing_by_next_token_then_400_next_token_corrupted(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipationsByNextToken", {"NextToken": "bm9wZQ=="})
    assert (response.status_code, error_code(response)) == (400, "NextTokenCorrupted")


async def test_given_no_token_when_listing_by_next_token_then_400_missing_parameter(mws):
    response = await mws.call(SELLERS, "ListMarketplaceParticipationsByNextToken")
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")
