"""A JSON listings feed's processing report mapped to the `processingReport` shape the XML reports
have (sp-api.md §5), so a flow reads one shape whatever the backend.

    statusCode "Complete"; messagesProcessed <- summary.messagesProcessed;
    messagesSuccessful <- summary.messagesAccepted; messagesWithError / messagesWithWarning <- the
    distinct messageIds with an ERROR / WARNING issue; results <- one per issue:
    {"messageId", "resultCode": Error|Warning|Info, "resultMessageCode": code (a string on SP-API),
     "resultDescription", "sku", "attributeName"?}; an issue without a messageId (about the whole feed)
    is kept with messageId 0 and counts in neither total.
"""
from __future__ import annotations

import json
from typing import Any

from app.runtime.errors import StepError

SEVERITY = {"ERROR": "Error", "WARNING": "Warning", "INFO": "Info"}
MAX_COUNT = 10**9


class ReportUnreadable(StepError):
    """A report that is not the JSON Amazon documents: the same bytes fail the same way on every
    resume, so this is an error, not a retry."""

    code = "MalformedResponse"
    retriable = False


def _count(summary: dict[str, Any], key: str) -> int:
    value = summary.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise ReportUnreadable(f"the processing report's summary.{key} is not a count")
    return value


def _message_id(issue: dict[str, Any]) -> int:
    value = issue.get("messageId", 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**31:
        raise ReportUnreadable("an issue of the processing report has a messageId that is not a number")
    return value


def parse_listings_report(raw: bytes) -> dict[str, Any]:
    try:
        report = json.loads(raw)
    except (ValueError, RecursionError):
        raise ReportUnreadable("the processing report is not JSON") from None
    if not isinstance(report, dict):
        raise ReportUnreadable("the processing report is not a JSON object")
    summary = report.get("summary") or {}
    issues = report.get("issues") or []
    if not isinstance(summary, dict) or not isinstance(issues, list):
        raise ReportUnreadable("the processing report's summary or issues have the wrong shape")
    results: list[dict[str, Any]] = []
    by_severity: dict[str, set[int]] = {"Error": set(), "Warning": set()}
    for issue in issues:
        if not isinstance(issue, dict):
            raise ReportUnreadable("an issue of the processing report is not an object")
        message_id = _message_id(issue)
        code = SEVERITY.get(str(issue.get("severity", "")).upper(), "Info")
        if message_id and code in by_severity:
            by_severity[code].add(message_id)
        result: dict[str, Any] = {"messageId": message_id, "resultCode": code,
                                  "resultMessageCode": str(issue.get("code", "")),
                                  "resultDescription": str(issue.get("message", ""))}
        if issue.get("sku") is not None:
            result["sku"] = str(issue["sku"])
        if issue.get("attributeName") is not None:
            result["attributeName"] = str(issue["attributeName"])
        results.append(result)
    return {
        "statusCode": "Complete",
        "messagesProcessed": _count(summary, "messagesProcessed"),
        "messagesSuccessful": _count(summary, "messagesAccepted"),
        "messagesWithError": len(by_severity["Error"]),
        "messagesWithWarning": len(by_severity["Warning"]),
        "results": results,
    }
