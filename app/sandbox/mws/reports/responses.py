"""Reports 2009-01-01 handlers: RequestReport, GetReportRequestList (+ByNextToken), GetReportRequestCount,
CancelReportRequests, GetReportList (+ByNextToken), GetReportCount, GetReport. Served at
/Reports/2009-01-01 and at /.

Each handler receives the `ReportsBackend` (backend.py) and the `Call`. GetReport answers the raw
report, no response wrapper, with its `Content-MD5` and a Content-Type naming its charset as Amazon
does (`text/plain;charset=Cp1252`, `text/plain;charset=Windows-31J`).
"""
from __future__ import annotations

from lxml import etree

from .. import xmlgen
from ..sections import Call, Reply
from .backend import MAX_IDS, ReportsBackend
from .models import Report, ReportRequest, content_md5


def _request_info(parent: etree._Element, req: ReportRequest) -> None:
    xmlgen.subs(xmlgen.sub(parent, "ReportRequestInfo"), req.info())


def _report_info(parent: etree._Element, report: Report) -> None:
    xmlgen.subs(xmlgen.sub(parent, "ReportInfo"), report.info())


def _list(call: Call, rows: list, token: str | None, add) -> etree._Element:
    result = call.result()
    if token:
        xmlgen.sub(result, "NextToken", token)
    xmlgen.sub(result, "HasNext", token is not None)
    for row in rows:
        add(result, row)
    return result


def _count(call: Call, n: int) -> etree._Element:
    result = call.result()
    xmlgen.sub(result, "Count", n)
    return result


def request_report(backend: ReportsBackend, call: Call) -> etree._Element:
    req = backend.request(call.seller, call.params, call.now_ms)
    result = call.result()
    _request_info(result, req)
    return result


def get_report_request_list(backend: ReportsBackend, call: Call) -> etree._Element:
    q = backend.request_query(call.params, call.now_ms, with_max=True)
    rows, token = backend.request_page(call.seller, q)
    return _list(call, rows, token, _request_info)


def get_report_request_list_by_next_token(backend: ReportsBackend, call: Call) -> etree._Element:
    rows, token = backend.request_page_by_token(call.seller, call.params.get("NextToken"))
    return _list(call, rows, token, _request_info)


def get_report_request_count(backend: ReportsBackend, call: Call) -> etree._Element:
    q = backend.request_query(call.params, call.now_ms, with_ids=False)
    return _count(call, len(backend.select_requests(call.seller, q)))


def cancel_report_requests(backend: ReportsBackend, call: Call) -> etree._Element:
    cancelled = backend.cancel(call.seller, backend.request_query(call.params, call.now_ms))
    result = _count(call, len(cancelled))
    for req in cancelled[:MAX_IDS]:
        _request_info(result, req)
    return result


def get_report_list(backend: ReportsBackend, call: Call) -> etree._Element:
    q = backend.report_query(call.params, call.now_ms, with_max=True)
    rows, token = backend.report_page(call.seller, q)
    return _list(call, rows, token, _report_info)


def get_report_list_by_next_token(backend: ReportsBackend, call: Call) -> etree._Element:
    rows, token = backend.report_page_by_token(call.seller, call.params.get("NextToken"))
    return _list(call, rows, token, _report_info)


def get_report_count(backend: ReportsBackend, call: Call) -> etree._Element:
    q = backend.report_query({k: v for k, v in call.params.items() if not k.startswith("ReportRequestIdList.")},
                             call.now_ms)
    return _count(call, len(backend.select_reports(call.seller, q)))


def get_report(backend: ReportsBackend, call: Call) -> Reply:
    report = backend.report(call.seller, call.params.get("ReportId"))
    return Reply(report.body, content_type=f"text/plain;charset={report.charset}",
                 headers={"Content-MD5": content_md5(report.body)})
