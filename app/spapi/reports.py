"""Reports on SP-API, Reports API 2021-06-30 (the `ReportsBackend` of app.backends.ports): createReport,
getReport for where it stands, getReports for the newest existing one, getReportDocument and the
pre-signed download spooled (gunzipped as it is read when compressionAlgorithm is GZIP) and parsed as a
stream by app.reports, in the charset the download declares or else the marketplace's."""
from __future__ import annotations

from typing import Any, AsyncIterator

from app.backends.ports import ReportState
from app.mws.body import Spool
from app.reports import gunzip, rows
from app.spapi.client import SpapiClient
from app.spapi.errors import MalformedResponse
from app.spapi.feeds import transfer

MAX_REPORT_BYTES = 4 * 1024 * 1024 * 1024  # compressed, spooled to disk
# CANCELLED is also Amazon's word for "the period held no data"; FATAL: Amazon could not make it.
STATES = {"IN_QUEUE": "pending", "IN_PROGRESS": "pending", "DONE": "done", "CANCELLED": "cancelled", "FATAL": "fatal"}


class SpapiReports:
    def __init__(self, client: SpapiClient, cfg: dict[str, Any]) -> None:
        self.client, self.cfg = client, cfg
        self.account = f"spapi {client.endpoint} {client.credentials.seller_id}"

    async def request(self, report_type: str, start: str | None, end: str | None) -> str:
        body: dict[str, Any] = {"reportType": report_type, "marketplaceIds": [str(self.cfg["marketplaceId"])]}
        if start:
            body["dataStartTime"] = start
        if end:
            body["dataEndTime"] = end
        created = await self.client.call("createReport", body=body)
        report_id = created.data.get("reportId")
        if not isinstance(report_id, str) or not report_id:
            raise MalformedResponse("createReport answered without a reportId")
        return report_id

    async def state(self, request_id: str) -> ReportState:
        report = (await self.client.call("getReport", path={"reportId": request_id})).data
        status = str(report.get("processingStatus") or "")
        document = report.get("reportDocumentId")
        return ReportState(STATES.get(status, "fatal"), status, str(document) if document else None)

    async def latest(self, report_type: str) -> str | None:
        listed = await self.client.call("getReports", query={"reportTypes": [report_type],
                                                             "processingStatuses": ["DONE"], "pageSize": 1})
        reports = listed.data.get("reports") or []
        document = reports[0].get("reportDocumentId") if reports and isinstance(reports[0], dict) else None
        return str(document) if document else None

    async def rows(self, document: str, report_type: str) -> AsyncIterator[dict[str, str]]:
        info = (await self.client.call("getReportDocument", path={"reportDocumentId": document})).data
        url = info.get("url")
        if not isinstance(url, str):
            raise MalformedResponse("getReportDocument answered without a download url")
        spool = Spool()
        try:
            _, headers = await transfer(self.client, "GET", url, sink=spool, limit=MAX_REPORT_BYTES)
            chunks = gunzip(spool.chunks()) if info.get("compressionAlgorithm") == "GZIP" else spool.chunks()
            async for row in rows(chunks, content_type=headers.get("content-type"),
                                  marketplace_id=str(self.cfg["marketplaceId"]), report_type=report_type):
                yield row
        finally:
            spool.close()
