"""POST /verify-credentials: 422 for a cfg that fails credentials.json, else one Sellers call."""
from __future__ import annotations

import httpx
import pytest

from app.settings import Settings

from api_helpers import CANARY, creds


async def test_given_cfg_without_seller_id_when_verify_then_422_naming_it(client):
    cfg = creds()
    del cfg["sellerId"]
    response = await client.post("/verify-credentials", json={"cfg": cfg})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"path": "cfg.sellerId", "message": "is required"}]}


async def test_given_an_empty_secret_and_a_bad_endpoint_when_verify_then_422_for_both(client):
    response = await client.post("/verify-credentials", json={"cfg": creds(secretAccessKey="", endpointUrl="ftp://x")})
    paths = {p["path"] for p in response.json()["detail"]}
    assert paths == {"cfg.secretAccessKey", "cfg.endpointUrl"}


async def test_given_a_body_that_is_not_json_when_verify_then_422(client):
    response = await client.post("/verify-credentials", content=b"cfg=1")
    assert response.status_code == 422


def _participations(marketplace: str) -> str:
    return f"""<?xml version="1.0"?>
<ListMarketplaceParticipationsResponse xmlns="https://mws.amazonservices.com/Sellers/2011-07-01">
  <ListMarketplaceParticipationsResult>
    <ListParticipations><Participation><MarketplaceId>{marketplace}</MarketplaceId><SellerId>A1SELLER</SellerId>
      <HasSellerSuspendedListings>No</HasSellerSuspendedListings></Participation></ListParticipations>
    <ListMarketplaces><Marketplace><MarketplaceId>{marketplace}</MarketplaceId><DefaultCountryCode>US</DefaultCountryCode>
      <DomainName>www.amazon.com</DomainName><Name>Amazon.com</Name><DefaultCurrencyCode>USD</DefaultCurrencyCode>
      <DefaultLanguageCode>en_US</DefaultLanguageCode></Marketplace></ListMarketplaces>
  </ListMarketplaceParticipationsResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</ListMarketplaceParticipationsResponse>"""


def _amazon(marketplace: str, calls: list[httpx.Request]):
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, text=_participations(marketplace), headers={"content-type": "text/xml"})
    return httpx.MockTransport(handle)


@pytest.mark.parametrize("marketplace,verified", [("ATVPDKIKX0DER", True), ("A1PA6795UKMFR9", False)])
async def test_given_amazon_answers_when_verify_then_verified_only_for_a_participating_marketplace(
        make_client, marketplace, verified):
    pytest.importorskip("app.mws.sellers")
    calls: list[httpx.Request] = []
    client = await make_client(Settings(endpoint_allowlist=("http://mws.test",)), transport=_amazon(marketplace, calls))
    response = await client.post("/verify-credentials", json={"cfg": creds(endpointUrl="http://mws.test")})
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is verified
    assert len(calls) == 1 and calls[0].url.host == "mws.test"
    if not verified:
        assert body["reason"] and CANARY not in body["reason"]
