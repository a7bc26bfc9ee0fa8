"""The rules of each Reports operation over the `ReportStore` (models.py): what RequestReport accepts,
how the lists filter and page, which requests CancelReportRequests cancels, what GetReport finds.

Lists show the newest first (SubmittedDate or AvailableDate, then id); a NextToken keeps the query and
the last row's key, so rows added between pages neither repeat nor shift. With ReportRequestIdList the
other filters are ignored and every match is returned. Unknown ids in GetReport answer
InvalidReportId; non-numeric request ids InvalidReportRequestId (both 400, Sender).
"""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from .. import wire
from ..auth import Seller
from ..errors import MWSError, invalid, missing
from ..paging import TokenCodec
from ..params import date_param, list_param
from .models import DAY_MS, Report, ReportRequest, ReportStore

JAPAN = "A1VC38T7YXB528"
MAX_IDS = 100
NULL_TOKEN = ("1 validation error detected: Value null at 'nextToken' failed to satisfy constraint: "
              "Member must not be null")
Row = TypeVar("Row", ReportRequest, Report)


def _request_key(req: ReportRequest) -> list[int]:
    return [req.submitted_ms, int(req.request_id)]


def _report_key(report: Report) -> list[int]:
    return [report.available_ms, int(report.report_id)]


class ReportsBackend:
    def __init__(self, store: ReportStore, tokens: TokenCodec) -> None:
        self.store = store
        self.tokens = tokens

    # -- RequestReport ----------------------------------------------------------------------------
    def request(self, seller: Seller, p: dict[str, str], now_ms: int) -> ReportRequest:
        report_type = p.get("ReportType")
        if not report_type:
            raise missing("ReportType")
        kind = wire.report_types().get(report_type)
        if kind is None:
            raise invalid(f"Invalid ReportType: {report_type}")
        if kind.get("requestable") is False:
            raise invalid(f"Report type {report_type} cannot be requested: Amazon generates it; "
                          "find it with GetReportList")
        home = seller.marketplaces[0] if seller.marketplaces else ""
        # MarketplaceIdList is not used in the Japan marketplace (reports.md §1): its home is used.
        marketplaces = [] if home == JAPAN else list_param(p, "MarketplaceIdList.Id")
        for mid in marketplaces:
            if mid not in seller.marketplaces:
                raise invalid(f"Invalid MarketplaceId: {mid} is not a marketplace this seller participates in")
        start, end = date_param(p, "StartDate", now_ms), date_param(p, "EndDate", now_ms)
        if start > end:
            raise invalid("StartDate must not be later than EndDate")
        if start > now_ms:
            raise invalid("StartDate must not be in the future")
        return self.store.request(report_type=report_type, seller_id=seller.seller_id,
                                  marketplaces=tuple(marketplaces) or (home,), start_ms=start, end_ms=end,
                                  now_ms=now_ms, options=p.get("ReportOptions", ""))

    # -- queries ----------------------------------------------------------------------------------
    @staticmethod
    def _ids(p: dict[str, str]) -> list[str]:
        ids = list_param(p, "ReportRequestIdList.Id")
        if len(ids) > MAX_IDS:
            raise invalid(f"At most {MAX_IDS} ReportRequestId values are allowed")
        for rid in ids:
            if not rid.isdigit():
                raise MWSError("InvalidReportRequestId", f"Invalid ReportRequestId: {rid}")
        return ids

    @staticmethod
    def _max(p: dict[str, str]) -> int:
        raw = p.get("MaxCount", "10")
        if not raw.isdigit() or not 1 <= int(raw) <= 100:
            raise invalid(f"Invalid MaxCount: {raw}; it must be a whole number from 1 to 100")
        return int(raw)

    def request_query(self, p: dict[str, str], now_ms: int, *, with_ids: bool = True,
                      with_max: bool = False) -> dict[str, Any]:
        statuses = list_param(p, "ReportProcessingStatusList.Status")
        for status in statuses:
            if status not in wire.report_statuses():
                raise invalid(f"Invalid ReportProcessingStatus: {status}")
        q = {"ids": self._ids(p) if with_ids else [], "types": list_param(p, "ReportTypeList.Type"),
             "st": statuses, "from": date_param(p, "RequestedFromDate", now_ms - 90 * DAY_MS),
             "to": date_param(p, "RequestedToDate", now_ms)}
        q["max"] = self._max(p) if with_max and not q["ids"] else MAX_IDS
        return q

    def report_query(self, p: dict[str, str], now_ms: int, *, with_max: bool = False) -> dict[str, Any]:
        acknowledged = p.get("Acknowledged")
        if acknowledged not in (None, "true", "false"):
            raise invalid(f"Invalid Acknowledged: {acknowledged}; it must be true or false")
        q = {"ids": self._ids(p), "types": list_param(p, "ReportTypeList.Type"), "ack": acknowledged,
             "from": date_param(p, "AvailableFromDate", now_ms - 90 * DAY_MS),
             "to": date_param(p, "AvailableToDate", now_ms)}
        q["max"] = self._max(p) if with_max and not q["ids"] else MAX_IDS
        return q

    def select_requests(self, seller: Seller, q: dict[str, Any]) -> list[ReportRequest]:
        rows = [r for r in self.store.requests.values() if r.seller_id == seller.seller_id]
        if q["ids"]:
            rows = [r for r in rows if r.request_id in set(q["ids"])]
        else:
            rows = [r for r in rows if q["from"] <= r.submitted_ms <= q["to"]
                    and (not q["types"] or r.report_type in q["types"]) and (not q["st"] or r.status in q["st"])]
        return sorted(rows, key=_request_key, reverse=True)

    def select_reports(self, seller: Seller, q: dict[str, Any]) -> list[Report]:
        rows = [r for r in self.store.reports.values() if r.seller_id == seller.seller_id]
        if q["ids"]:
            rows = [r for r in rows if r.request_id in set(q["ids"])]
        else:
            rows = [r for r in rows if q["from"] <= r.available_ms <= q["to"]
                    and (not q["types"] or r.report_type in q["types"])
                    and (q["ack"] is None or r.acknowledged == (q["ack"] == "true"))]
        return sorted(rows, key=_report_key, reverse=True)

    # -- pages ------------------------------------------------------------------------------------
    def _page(self, kind: str, seller: Seller, rows: list[Row], q: dict[str, Any], last: list[int] | None,
              key: Callable[[Row], list[int]]) -> tuple[list[Row], str | None]:
        if last is not None:
            rows = [r for r in rows if key(r) < last]
        size = len(rows) if q["ids"] else q["max"]
        page = rows[:size]
        token = self.tokens.encode(kind, seller.seller_id, {"q": q, "last": key(page[-1])}) \
            if len(rows) > size else None
        return page, token

    def _state(self, kind: str, seller: Seller, token: str | None) -> dict[str, Any]:
        if not token:
            raise MWSError("ValidationError", NULL_TOKEN)
        return self.tokens.decode(kind, seller.seller_id, token)

    def request_page(self, seller: Seller, q: dict[str, Any], last: list[int] | None = None):
        return self._page("reportRequests", seller, self.select_requests(seller, q), q, last, _request_key)

    def request_page_by_token(self, seller: Seller, token: str | None):
        state = self._state("reportRequests", seller, token)
        return self.request_page(seller, state["q"], state["last"])

    def report_page(self, seller: Seller, q: dict[str, Any], last: list[int] | None = None):
        return self._page("reports", seller, self.select_reports(seller, q), q, last, _report_key)

    def report_page_by_token(self, seller: Seller, token: str | None):
        state = self._state("reports", seller, token)
        return self.report_page(seller, state["q"], state["last"])

    # -- CancelReportRequests, GetReport ----------------------------------------------------------
    def cancel(self, seller: Seller, q: dict[str, Any]) -> list[ReportRequest]:
        return [r for r in self.select_requests(seller, q) if self.store.cancel(r)]

    def report(self, seller: Seller, report_id: str | None) -> Report:
        if not report_id:
            raise missing("ReportId")
        report = self.store.reports.get(report_id)
        if report is None or report.seller_id != seller.seller_id:
            raise MWSError("InvalidReportId", f"Invalid ReportId: {report_id}")
        return report
