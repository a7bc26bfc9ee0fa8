"""Reports on MWS (the `ReportsBackend` of app.backends.ports): RequestReport, GetReportRequestList for
where it stands, GetReportList for the newest existing one, GetReport spooled (Content-MD5 checked
before a row is read) and parsed as a stream by app.reports, in the charset the answer declares or
else the marketplace's (reports.md §4)."""
from __future__ import annotations

from typing import Any, AsyncIterator

from app.backends.ports import ReportState
from app.mws.body import Spool
from app.mws.client import MWSClient
from app.mws.errors import MalformedResponse
from app.reports import rows

# _DONE_NO_DATA_: Amazon made nothing (an empty period); _CANCELLED_: someone cancelled it.
STATES = {"_SUBMITTED_": "pending", "_IN_PROGRESS_": "pending", "_DONE_": "done", "_DONE_NO_DATA_": "no-data",
          "_CANCELLED_": "cancelled"}


class MWSReports:
    def __init__(self, client: MWSClient) -> None:
        self.client = client
        self.account = f"mws {client.endpoint} {client.credentials.seller_id}"

    async def request(self, report_type: str, start: str | None, end: str | None) -> str:
        params: dict[str, Any] = {"ReportType": report_type,
                                  "MarketplaceIdList.Id.1": self.client.credentials.marketplace_id}
        if start:
            params["StartDate"] = start
        if end:
            params["EndDate"] = end
        result = await self.client.call("RequestReport", params)
        infos = result.data.get("reportRequestInfo") or []
        request_id = infos[0].get("reportRequestId") if infos else None
        if not request_id:
            raise MalformedResponse("RequestReport answered without a ReportRequestId")
        return str(request_id)

    async def state(self, request_id: str) -> ReportState:
        result = await self.client.call("GetReportRequestList", {"ReportRequestIdList.Id.1": request_id})
        infos = result.data.get("reportRequestInfo") or []
        if not infos:
            raise MalformedResponse(f"GetReportRequestList does not know report request {request_id}")
        status = str(infos[0].get("reportProcessingStatus") or "")
        document = infos[0].get("generatedReportId")
        return ReportState(STATES.get(status, "fatal"), status, str(document) if document else None)

    async def latest(self, report_type: str) -> str | None:
        result = await self.client.call("GetReportList", {"ReportTypeList.Type.1": report_type, "MaxCount": "1"})
        infos = result.data.get("reportInfo") or []
        return str(infos[0]["reportId"]) if infos and infos[0].get("reportId") else None

    async def rows(self, document: str, report_type: str) -> AsyncIterator[dict[str, str]]:
        spool = Spool()
        try:
            result = await self.client.call("GetReport", {"ReportId": document}, sink=spool)
            async for row in rows(spool.chunks(), content_type=result.headers.get("content-type"),
                                  marketplace_id=self.client.credentials.marketplace_id, report_type=report_type):
                yield row
        finally:
            spool.close()
