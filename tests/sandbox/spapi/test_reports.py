"""Reports API 2021-06-30 in the SP-API sandbox: the lifecycle by the clock, the same rows as the MWS
sandbox's report of the same seller state, gzip documents in the seller's charset, getReports,
cancelReport, the usage plans, and refusals as SP-API's error model."""
from __future__ import annotations

import gzip

from app.reports import iter_rows

from .helpers import API, error

REPORTS = f"{API}/reports/2021-06-30"
US = "ATVPDKIKX0DER"


async def _create(sp, report_type="GET_MERCHANT_LISTINGS_ALL_DATA", **extra):
    return await sp.post(f"{REPORTS}/reports", {"reportType": report_type, "marketplaceIds": [US], **extra})


async def test_given_a_report_when_created_then_in_queue_in_progress_done_by_the_clock_with_a_gzip_document(
        sp, clock, sandbox):
    created = await _create(sp)
    assert created.status_code == 202
    report_id = created.json()["reportId"]
    assert (await sp.get(f"{REPORTS}/reports/{report_id}")).json()["processingStatus"] == "IN_QUEUE"
    clock.advance(10)
    assert (await sp.get(f"{REPORTS}/reports/{report_id}")).json()["processingStatus"] == "IN_PROGRESS"
    clock.advance(120)
    done = (await sp.get(f"{REPORTS}/reports/{report_id}")).json()
    assert done["processingStatus"] == "DONE" and done["reportType"] == "GET_MERCHANT_LISTINGS_ALL_DATA"
    document = (await sp.get(f"{REPORTS}/documents/{done['reportDocumentId']}")).json()
    assert document["compressionAlgorithm"] == "GZIP"
    download = await sp.http.get(document["url"])
    assert download.status_code == 200 and "charset=Cp1252" in download.headers["content-type"]
    rows = list(iter_rows(gzip.decompress(download.content), content_type=download.headers["content-type"]))
    catalog = sandbox.states.of("A1SANDBOXSELLER").catalog
    assert {r["seller-sku"]: r["item-name"] for r in rows} == {sku: item.title for sku, item in catalog.items()}


async def test_given_the_same_report_on_mws_then_the_same_body(sp, clock, sandbox):
    created = (await _create(sp, "GET_AFN_INVENTORY_DATA")).json()["reportId"]
    clock.advance(130)
    done = (await sp.get(f"{REPORTS}/reports/{created}")).json()
    document = (await sp.get(f"{REPORTS}/documents/{done['reportDocumentId']}")).json()
    body = gzip.decompress((await sp.http.get(document["url"])).content)
    mws_report = sandbox.reports.reports[sandbox.reports.requests[created].report_id]
    assert body == mws_report.body


async def test_given_reports_then_get_reports_lists_them_newest_first_with_settlements(sp, clock):
    first = (await _create(sp)).json()["reportId"]
    clock.advance(5)
    second = (await _create(sp)).json()["reportId"]
    listed = (await sp.get(f"{REPORTS}/reports", {"reportTypes": "GET_MERCHANT_LISTINGS_ALL_DATA"})).json()
    assert [r["reportId"] for r in listed["reports"]] == [second, first]
    settlements = (await sp.get(f"{REPORTS}/reports", {"reportTypes": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",
                                                        "processingStatuses": "DONE", "pageSize": 1})).json()
    assert len(settlements["reports"]) == 1 and settlements["reports"][0]["reportDocumentId"]
    assert "nextToken" in settlements


async def test_given_a_queued_report_when_cancelled_then_cancelled_and_a_started_one_cannot_be(sp, clock):
    report_id = (await _create(sp)).json()["reportId"]
    assert (await sp.delete(f"{REPORTS}/reports/{report_id}")).status_code == 200
    assert (await sp.get(f"{REPORTS}/reports/{report_id}")).json()["processingStatus"] == "CANCELLED"
    other = (await _create(sp)).json()["reportId"]
    clock.advance(10)
    assert error(await sp.delete(f"{REPORTS}/reports/{other}")) == (400, "InvalidInput")


async def test_given_bad_input_then_invalid_input_and_nothing_queued(sp, sandbox):
    assert error(await _create(sp, "GET_EVERYTHING")) == (400, "InvalidInput")
    assert error(await _create(sp, "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE")) == (400, "InvalidInput")  # Amazon's own
    assert error(await sp.post(f"{REPORTS}/reports", {"reportType": "GET_AFN_INVENTORY_DATA",
                                                       "marketplaceIds": ["A1VC38T7YXB528"]})) == (400, "InvalidInput")
    assert error(await _create(sp, dataStartTime="yesterday")) == (400, "InvalidInput")
    assert sandbox.reports.requests == {}
    assert error(await sp.get(f"{REPORTS}/reports/99999999")) == (404, "NotFound")


async def test_given_the_create_report_burst_spent_then_429(sp):
    for _ in range(15):
        assert (await _create(sp)).status_code == 202
    assert error(await _create(sp)) == (429, "QuotaExceeded")
