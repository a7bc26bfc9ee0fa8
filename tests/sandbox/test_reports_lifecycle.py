"""Reports 2009-01-01 in the sandbox: a request moves _SUBMITTED_ → _IN_PROGRESS_ → _DONE_ (or
_DONE_NO_DATA_) on the sandbox clock, can be cancelled before it starts, is listed and paged, and is
throttled, faulted and shown in the admin state like every other operation (reports.md §1)."""
from __future__ import annotations

import base64
import hashlib

import httpx
import pytest

from tests.conftest import SAMPLES

from .helpers import error_code, text, texts, xml
from .test_fidelity import assert_subset, parse, paths

REPORTS = "/Reports/2009-01-01"
VERSION = "2009-01-01"
LISTINGS = "_GET_MERCHANT_LISTINGS_ALL_DATA_"
ORDERS_REPORT = "_GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL_"
INFO = "GetReportRequestListResult/ReportRequestInfo/"


async def call(mws, action: str, extra: dict | None = None, path: str = REPORTS) -> httpx.Response:
    return await mws.call(path, action, extra, Version=VERSION)


async def request(mws, report_type: str = LISTINGS, **params) -> str:
    response = await call(mws, "RequestReport", {"ReportType": report_type, **params})
    assert response.status_code == 200, response.text
    return text(xml(response), "RequestReportResult/ReportRequestInfo/ReportRequestId")


async def info(mws, request_id: str) -> dict[str, str | None]:
    doc = xml(await call(mws, "GetReportRequestList", {"ReportRequestIdList.Id.1": request_id}))
    return {tag: text(doc, INFO + tag) for tag in (
        "ReportType", "StartDate", "EndDate", "ReportProcessingStatus", "GeneratedReportId",
        "StartedProcessingDate", "CompletedDate")}


async def fetch(mws, clock, report_type: str = LISTINGS, **params) -> httpx.Response:
    """Request a report, let it finish, and GetReport it."""
    request_id = await request(mws, report_type, **params)
    clock.advance(66)
    report_id = (await info(mws, request_id))["GeneratedReportId"]
    assert report_id, await info(mws, request_id)
    return await call(mws, "GetReport", {"ReportId": report_id})


def md5(body: bytes) -> str:
    return base64.b64encode(hashlib.md5(body).digest()).decode()


async def test_given_a_request_when_the_clock_advances_then_submitted_in_progress_done_with_a_report(mws, clock):
    request_id = await request(mws)
    assert (await info(mws, request_id))["ReportProcessingStatus"] == "_SUBMITTED_"
    clock.advance(6)
    now = await info(mws, request_id)
    assert now["ReportProcessingStatus"] == "_IN_PROGRESS_" and now["StartedProcessingDate"].endswith("+00:00")
    assert now["GeneratedReportId"] is None and now["CompletedDate"] is None
    clock.advance(60)
    done = await info(mws, request_id)
    assert done["ReportProcessingStatus"] == "_DONE_" and done["GeneratedReportId"].isdigit()
    listed = xml(await call(mws, "GetReportList", {"ReportRequestIdList.Id.1": request_id}))
    assert texts(listed, "ReportId") == [done["GeneratedReportId"]]
    assert text(listed, "GetReportListResult/ReportInfo/AvailableDate") == done["CompletedDate"]


async def test_given_a_time_scale_then_reports_progress_faster_on_the_same_clock(clock):
    from app.sandbox import Sandbox

    from .helpers import Caller
    sandbox = Sandbox(clock=clock, wall=clock.time, time_scale=10)
    async with httpx.AsyncClient(transport=sandbox.transport()) as http:
        mws = Caller(http, clock)
        request_id = await request(mws)
        clock.advance(7)
        assert (await info(mws, request_id))["ReportProcessingStatus"] == "_DONE_"


async def test_given_a_window_with_no_orders_then_done_no_data_and_no_report(mws, clock):
    request_id = await request(mws, ORDERS_REPORT, StartDate="2001-01-01T00:00:00Z", EndDate="2001-01-02T00:00:00Z")
    clock.advance(66)
    done = await info(mws, request_id)
    assert done["ReportProcessingStatus"] == "_DONE_NO_DATA_" and done["GeneratedReportId"] is None
    assert texts(xml(await call(mws, "GetReportList", {"ReportRequestIdList.Id.1": request_id})), "ReportId") == []


async def test_given_submitted_requests_when_cancelled_then_only_those_not_started_are_cancelled(mws, clock):
    started = await request(mws)
    clock.advance(6)
    waiting = await request(mws)
    response = await call(mws, "CancelReportRequests", {})
    doc = xml(response)
    assert text(doc, "CancelReportRequestsResult/Count") == "1"
    assert texts(doc, "ReportRequestId") == [waiting] and texts(doc, "ReportProcessingStatus") == ["_CANCELLED_"]
    clock.advance(120)
    assert (await info(mws, waiting))["ReportProcessingStatus"] == "_CANCELLED_"
    assert (await info(mws, started))["ReportProcessingStatus"] == "_DONE_"


async def test_given_many_requests_then_lists_page_newest_first_by_next_token_and_count_them(mws, clock):
    ids = []
    for _ in range(5):
        ids.append(await request(mws))
        clock.advance(1)
    first = xml(await call(mws, "GetReportRequestList", {"MaxCount": "2"}))
    assert texts(first, "ReportRequestId") == ids[::-1][:2] and text(first, "GetReportRequestListResult/HasNext") == "true"
    token = text(first, "GetReportRequestListResult/NextToken")
    seen = texts(first, "ReportRequestId")
    while token:
        page = xml(await call(mws, "GetReportRequestListByNextToken", {"NextToken": token}))
        seen += texts(page, "ReportRequestId")
        token = text(page, "GetReportRequestListByNextTokenResult/NextToken")
    assert seen == ids[::-1]
    async def count(extra: dict) -> str:
        return text(xml(await call(mws, "GetReportRequestCount", extra)), "GetReportRequestCountResult/Count")
    # 5 s after the first request, it has started; the other four wait.
    assert [await count({}), await count({"ReportProcessingStatusList.Status.1": "_SUBMITTED_"})] == ["5", "4"]


async def test_given_bad_parameters_then_amazons_errors(mws):
    cases = [({}, "MissingParameter"), ({"ReportType": "_NO_SUCH_REPORT_"}, "InvalidParameterValue"),
             ({"ReportType": "_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_"}, "InvalidParameterValue"),
             ({"ReportType": LISTINGS, "StartDate": "2030-01-02T00:00:00Z", "EndDate": "2030-01-01T00:00:00Z"},
              "InvalidParameterValue"),
             ({"ReportType": LISTINGS, "MarketplaceIdList.Id.1": "A1PA6795UKMFR9"}, "InvalidParameterValue")]
    for params, code in cases:
        response = await call(mws, "RequestReport", params)
        assert (response.status_code, error_code(response)) == (400, code), params
    assert error_code(await call(mws, "GetReport", {"ReportId": "12345"})) == "InvalidReportId"
    assert error_code(await call(mws, "GetReportRequestList", {"ReportRequestIdList.Id.1": "x"})) == \
        "InvalidReportRequestId"
    assert error_code(await call(mws, "GetReportListByNextToken", {})) == "ValidationError"
    assert error_code(await call(mws, "GetReportRequestList", {"MaxCount": "101"})) == "InvalidParameterValue"


async def test_given_the_burst_is_spent_then_request_throttled_with_quota_headers_and_a_token_after_a_minute(
        mws, clock):
    for _ in range(15):
        await request(mws)
    throttled = await call(mws, "RequestReport", {"ReportType": LISTINGS})
    assert (throttled.status_code, error_code(throttled)) == (503, "RequestThrottled")
    assert throttled.headers["x-mws-quota-max"] == "60.0"
    clock.advance(60)
    assert (await call(mws, "RequestReport", {"ReportType": LISTINGS})).status_code == 200
    # Another group keeps its own bucket.
    assert (await call(mws, "GetReportRequestCount")).status_code == 200


async def test_given_a_fault_set_through_the_admin_route_then_get_report_answers_it_once(mws, http, clock):
    assert (await fetch(mws, clock)).status_code == 200
    report_id = texts(xml(await call(mws, "GetReportList", {"MaxCount": "1"})), "ReportId")[0]
    added = await http.post("http://sandbox.test/sandbox/admin/faults",
                            json={"operation": "GetReport", "kind": "500", "count": 1})
    assert added.status_code == 200, added.text
    first = await call(mws, "GetReport", {"ReportId": report_id})
    second = await call(mws, "GetReport", {"ReportId": report_id})
    assert (first.status_code, error_code(first)) == (500, "InternalError") and second.status_code == 200


async def test_given_requests_and_reports_then_the_admin_state_shows_them(mws, http, clock):
    request_id = await request(mws)
    clock.advance(66)
    state = (await http.get("http://sandbox.test/sandbox/admin/state")).json()
    [req] = [r for r in state["reportRequests"] if r["reportRequestId"] == request_id]
    assert req["reportProcessingStatus"] == "_DONE_" and req["sellerId"] == "A1SANDBOXSELLER"
    [report] = [r for r in state["reports"] if r["reportId"] == req["generatedReportId"]]
    assert report["charset"] == "Cp1252" and report["bytes"] > 0


async def test_given_reports_at_the_root_path_then_the_action_routes_them_past_feeds(mws):
    for path in (REPORTS, "/"):
        response = await call(mws, "GetReportRequestCount", path=path)
        assert response.status_code == 200 and text(xml(response), "GetReportRequestCountResult/Count") == "0"
    assert (await call(mws, "GetFeedSubmissionCount", path="/")).status_code == 200


async def test_given_request_report_then_its_shape_is_amazons_documented_sample(mws):
    sample = parse(SAMPLES / "official-docs" / "devguide_RequestReport_success_response.xml")
    response = await call(mws, "RequestReport", {"ReportType": "_GET_MERCHANT_LISTINGS_DATA_",
                                                 "StartDate": "2009-01-21T02:10:39Z"})
    ours = xml(response)
    assert paths(ours) == paths(sample)
    assert_subset(paths(ours), paths(sample))
    order = [el.tag.split("}")[1] for el in ours.iter("{*}ReportRequestInfo").__next__()]
    assert order == [el.tag.split("}")[1] for el in next(sample.iter("{*}ReportRequestInfo"))]
    assert text(ours, "RequestReportResult/ReportRequestInfo/StartDate") == "2009-01-21T02:10:39+00:00"
    assert ours.nsmap[None] == "http://mws.amazonaws.com/doc/2009-01-01/"   # what real answers carry


@pytest.mark.parametrize("operation", ["GetReportList", "GetReportCount"])
async def test_given_settlements_then_amazon_made_them_and_they_are_listed_not_requested(mws, operation):
    doc = xml(await call(mws, operation, {"ReportTypeList.Type.1": "_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_"}))
    found = len(texts(doc, "ReportId")) if operation == "GetReportList" else int(text(doc, f"{operation}Result/Count"))
    assert found >= 1
