"""What the report steps' tests share: the report requests sent (RequestReport / createReport) and
calls of getReport and getReportRows with a snapshot."""
from __future__ import annotations

from typing import Any

def requests_sent(svc, backend) -> list:
    if backend.name == "mws":
        return [c for c in svc.calls if c.action == "RequestReport"]
    return [c for c in svc.calls if c.method == "POST" and c.path.endswith("/reports/2021-06-30/reports")]


async def get_report(svc, cfg: dict[str, Any], body: dict | None = None, snapshot: dict | None = None,
                     mode: str = "run", key: str = "getReport") -> dict[str, Any]:
    response = await svc.client.post(f"/actions/{key}/execute", json={
        "cfg": cfg, "msg": {"body": body or {}}, "snapshot": snapshot or {}, "mode": mode})
    assert response.status_code == 200, response.text
    return response.json()


async def poll_report_rows(svc, cfg: dict[str, Any], snapshot: dict | None = None, mode: str = "run",
                           key: str = "getReportRows") -> dict[str, Any]:
    response = await svc.client.post(f"/triggers/{key}/execute", json={"cfg": cfg, "snapshot": snapshot or {}, "mode": mode})
    assert response.status_code == 200, response.text
    return response.json()
