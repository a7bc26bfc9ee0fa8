"""End to end over the in-process sandbox: the MWS client requests a report, polls it, fetches it
(Content-MD5 checked by the client) and app.reports turns the body into rows — the path the getReport
action and the getReportRows trigger take on MWS."""
from __future__ import annotations

import httpx

from app.mws.client import MWSClient
from app.mws.credentials import Credentials
from app.reports import rows
from app.sandbox import DEMO, Sandbox
from app.settings import Settings

JP = {**DEMO, "sellerId": "A2SANDBOXSELLERJP", "marketplaceId": "A1VC38T7YXB528"}


async def fetch_rows(creds: dict, clock, report_type: str) -> tuple[list[dict], dict]:
    sandbox = Sandbox(clock=clock)
    async with httpx.AsyncClient(transport=sandbox.transport()) as http:
        client = MWSClient(Credentials.from_cfg({**creds, "endpointUrl": "http://sandbox.test"}), http=http,
                           clock=clock, settings=Settings())
        requested = await client.call("RequestReport", {"ReportType": report_type})
        [info] = requested.data["reportRequestInfo"]          # a repeated element: always a list
        clock.advance(70)
        listed = await client.call("GetReportRequestList", {"ReportRequestIdList.Id.1": info["reportRequestId"]})
        [done] = listed.data["reportRequestInfo"]
        assert done["reportProcessingStatus"] == "_DONE_" and done["scheduled"] is False
        report = await client.call("GetReport", {"ReportId": done["generatedReportId"]})

        async def chunks():
            for i in range(0, len(report.body), 1000):
                yield report.body[i:i + 1000]
        found = [row async for row in rows(chunks(), content_type=report.headers.get("content-type"),
                                            marketplace_id=creds["marketplaceId"])]
        return found, sandbox.states.of(creds["sellerId"]).catalog


async def test_given_the_japanese_seller_when_the_client_fetches_its_listings_then_titles_come_back_intact(clock):
    found, catalog = await fetch_rows(JP, clock, "_GET_MERCHANT_LISTINGS_ALL_DATA_")
    assert {r["seller-sku"]: r["item-name"] for r in found} == {sku: item.title for sku, item in catalog.items()}


async def test_given_the_us_seller_when_the_client_fetches_fba_inventory_then_rows_keyed_by_amazons_headers(clock):
    found, catalog = await fetch_rows(DEMO, clock, "_GET_AFN_INVENTORY_DATA_")
    assert found and all(r["Quantity Available"] == str(catalog[r["seller-sku"]].quantity) for r in found)
