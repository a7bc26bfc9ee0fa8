"""The Reports 2009-01-01 section: models.py (requests, reports, their lifecycle, settlements),
backend.py (the rules of each operation), generate.py (report bodies from the seller's state, in the
marketplace's charset), responses.py (handlers). Registered with `root_alias=True`, like Feeds, so
both /Reports/2009-01-01 and / reach it."""
from __future__ import annotations

from functools import partial

from ..sections import Section, from_model
from . import responses
from .backend import ReportsBackend
from .generate import generator, markets
from .models import ReportStore

__all__ = ["ReportStore", "ReportsBackend", "generator", "markets", "section"]


def section(backend: ReportsBackend) -> Section:
    return from_model("reports", {
        "RequestReport": partial(responses.request_report, backend),
        "GetReportRequestList": partial(responses.get_report_request_list, backend),
        "GetReportRequestListByNextToken": partial(responses.get_report_request_list_by_next_token, backend),
        "GetReportRequestCount": partial(responses.get_report_request_count, backend),
        "CancelReportRequests": partial(responses.cancel_report_requests, backend),
        "GetReportList": partial(responses.get_report_list, backend),
        "GetReportListByNextToken": partial(responses.get_report_list_by_next_token, backend),
        "GetReportCount": partial(responses.get_report_count, backend),
        "GetReport": partial(responses.get_report, backend),
    }, root_alias=True)
