"""Reports API 2021-06-30: createReport, getReport, getReports, cancelReport, getReportDocument — over the
MWS sandbox's report store (app/sandbox/mws/reports), so the same seller state gives the same rows on
both APIs, in the same charset (Windows-1252, Windows-31J in JP); the document is gzip-compressed.

SP-API names the MWS types without the underscores (app/model/common/reports.json maps them). A
reportId is the store's request id; settlements, which Amazon makes unasked, are listed by getReports
(DONE) under their report id. Statuses: IN_QUEUE, IN_PROGRESS, DONE; CANCELLED also when the period
held no data (as Amazon says it); FATAL never happens here. cancelReport works while IN_QUEUE.
"""
from __future__ import annotations

import gzip
from typing import Any

from app.model import load

from ..mws.reports.models import CANCELLED as MWS_CANCELLED
from ..mws.reports.models import DONE, DONE_NO_DATA, IN_PROGRESS, SUBMITTED
from .call import Call, Reply
from .errors import SpApiError, invalid, not_found
from .params import iso, json_body, next_page_state

_TYPES = load("common", "reports")["types"]
TO_MWS = {t["spapi"]: t["mws"] for t in _TYPES.values()}
TO_SPAPI = {mws: spapi for spapi, mws in TO_MWS.items()}
REQUESTABLE = {t["spapi"] for t in _TYPES.values() if t["requestable"]}
STATUS = {SUBMITTED: "IN_QUEUE", IN_PROGRESS: "IN_PROGRESS", DONE: "DONE", DONE_NO_DATA: "CANCELLED",
          MWS_CANCELLED: "CANCELLED"}
STATUSES = ("CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE")


def create_report(call: Call) -> Reply:
    body = json_body(call.body)
    report_type, marketplaces = body.get("reportType"), body.get("marketplaceIds")
    if not isinstance(report_type, str) or report_type not in REQUESTABLE:
        raise invalid(f"Invalid reportType {report_type!r}: not a report type that can be requested", "Invalid input")
    if not isinstance(marketplaces, list) or not 1 <= len(marketplaces) <= 25:
        raise invalid("marketplaceIds must be an array of 1 to 25 marketplace ids", "Invalid input")
    own = call.spapi.marketplaces(call.seller_id)
    for marketplace_id in marketplaces:
        if marketplace_id not in own:
            raise invalid(f"Invalid marketplaceIds: {marketplace_id} is not a marketplace this seller participates in",
                          "Invalid input")
    start, end = _time(body, "dataStartTime", 0), _time(body, "dataEndTime", call.now_ms)
    if start > end:
        raise invalid("dataStartTime must not be later than dataEndTime", "Invalid input")
    if start > call.now_ms:
        raise invalid("dataStartTime must not be in the future", "Invalid input")
    req = call.sandbox.reports.request(report_type=TO_MWS[report_type], seller_id=call.seller_id,
                                       marketplaces=tuple(marketplaces), start_ms=start, end_ms=end,
                                       now_ms=call.now_ms)
    return Reply({"reportId": req.request_id}, status=202)


def _time(body: dict[str, Any], name: str, default: int) -> int:
    from ..mws.xmlgen import parse_iso_ms

    value = body.get(name)
    if value is None:
        return default
    try:
        return parse_iso_ms(str(value))
    except ValueError:
        raise invalid(f"Invalid {name}: it must be an ISO-8601 date-time", "Invalid input") from None


def _document_id(call: Call, report) -> str:
    """The report's document (made once, gzip): the body as the MWS GetReport serves it."""
    known = call.spapi.report_documents.get(report.report_id)
    if known is None:
        document = call.spapi.documents.create(report.seller_id, f"text/tab-separated-values; charset={report.charset}",
                                                report.available_ms, body=gzip.compress(report.body),
                                                compression="GZIP")
        known = call.spapi.report_documents[report.report_id] = document.document_id
    return known


def _json(call: Call, req=None, report=None) -> dict[str, Any]:
    if req is not None:
        report = call.sandbox.reports.reports.get(req.report_id) if req.report_id else None
        out: dict[str, Any] = {"reportId": req.request_id, "reportType": TO_SPAPI.get(req.report_type, req.report_type),
                               "dataStartTime": iso(req.start_ms), "dataEndTime": iso(req.end_ms),
                               "marketplaceIds": list(req.marketplaces), "processingStatus": STATUS[req.status],
                               "createdTime": iso(req.submitted_ms)}
        if req.started_ms is not None:
            out["processingStartTime"] = iso(req.started_ms)
        if req.completed_ms is not None:
            out["processingEndTime"] = iso(req.completed_ms)
    else:
        out = {"reportId": report.report_id, "reportType": TO_SPAPI.get(report.report_type, report.report_type),
               "processingStatus": "DONE", "createdTime": iso(report.available_ms),
               "processingEndTime": iso(report.available_ms)}
    if report is not None:
        out["reportDocumentId"] = _document_id(call, report)
    return out


def _find(call: Call, report_id: str):
    if not report_id.isdigit():
        raise invalid(f"Invalid reportId {report_id!r}", "Invalid input")
    store = call.sandbox.reports
    req = store.requests.get(report_id)
    if req is not None and req.seller_id == call.seller_id:
        return req, None
    report = store.reports.get(report_id)
    if report is not None and report.seller_id == call.seller_id and report.request_id not in store.requests:
        return None, report
    raise not_found("report")


def get_report(call: Call) -> dict[str, Any]:
    req, report = _find(call, call.path["reportId"])
    return _json(call, req, report)


def cancel_report(call: Call) -> Reply:
    req, _ = _find(call, call.path["reportId"])
    if req is None or not call.sandbox.reports.cancel(req):
        raise invalid("Only a report that is IN_QUEUE can be cancelled", "Invalid input")
    return Reply(None, status=200)


def get_reports(call: Call) -> dict[str, Any]:
    q = call.query
    state = next_page_state(call, "getReports")
    if state is None:
        types = q.array("reportTypes", max_items=10)
        if not types:
            raise invalid("reportTypes or nextToken is required", "Invalid input")
        since = q.date("createdSince")
        state = {"seller": call.seller_id, "types": types, "statuses": q.array("processingStatuses", enum=STATUSES),
                 "since": call.now_ms - 90 * 86_400_000 if since is None else since,
                 "size": q.integer("pageSize", 1, 100, 10), "last": None}
    store = call.sandbox.reports
    rows = [_json(call, req=r) for r in store.requests.values() if r.seller_id == call.seller_id] + [
        _json(call, report=r) for r in store.reports.values()
        if r.seller_id == call.seller_id and r.request_id not in store.requests]
    rows = [r for r in rows if r["reportType"] in state["types"] and r["createdTime"] >= iso(state["since"])
            and (not state["statuses"] or r["processingStatus"] in state["statuses"])]
    rows.sort(key=lambda r: (r["createdTime"], int(r["reportId"])), reverse=True)
    if state["last"]:
        rows = [r for r in rows if [r["createdTime"], int(r["reportId"])] < state["last"]]
    page = rows[: state["size"]]
    out: dict[str, Any] = {"reports": page}
    if len(rows) > len(page):
        out["nextToken"] = call.spapi.tokens.encode(
            "getReports", {**state, "last": [page[-1]["createdTime"], int(page[-1]["reportId"])]})
    return out


def get_report_document(call: Call) -> dict[str, Any]:
    document_id = call.path["reportDocumentId"]
    document = call.spapi.documents.get(call.seller_id, document_id)
    if document is None or document_id not in call.spapi.report_documents.values():
        raise not_found("report document")
    return {"reportDocumentId": document_id, "compressionAlgorithm": "GZIP",
            "url": call.spapi.documents.url(call.base_url, document, "GET", call.now_ms)}


__all__ = ["SpApiError", "cancel_report", "create_report", "get_report", "get_report_document", "get_reports"]
