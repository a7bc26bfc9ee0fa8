"""Where the SP-API sandbox is reachable: sb.app (python -m app.sandbox), the in-process transport at
any base path, and the service's --sandbox mounts next to /sandbox/mws."""
from __future__ import annotations

import httpx

from app.main import create_app
from app.runtime.http import SANDBOX_BASE
from app.settings import Settings

from .helpers import PARTICIPATIONS, token_form


async def call_through(transport: httpx.AsyncBaseTransport, base_url: str) -> list[int]:
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        token = (await client.post("/sandbox/lwa/token", data=token_form())).json()["access_token"]
        api = await client.get(PARTICIPATIONS, headers={"x-amz-access-token": token})
        created = await client.post("/sandbox/sp-api/feeds/2021-06-30/documents", json={"contentType": "text/plain"},
                                    headers={"x-amz-access-token": token})
        upload = await client.put(created.json()["url"], content=b"x", headers={"content-type": "text/plain"})
        return [api.status_code, created.status_code, upload.status_code]


async def test_given_the_sandboxs_own_app_then_lwa_sp_api_and_documents_are_mounted(sandbox):
    assert await call_through(httpx.ASGITransport(app=sandbox.app), "http://127.0.0.1:9000") == [200, 201, 200]


async def test_given_the_in_process_transport_for_the_mws_base_path_then_sp_api_paths_reach_it_too(sandbox):
    assert SANDBOX_BASE.startswith("http://sandbox.local/")
    assert await call_through(sandbox.transport(base_path="/sandbox/mws"), "http://sandbox.local") == [200, 201, 200]


async def test_given_the_service_with_a_sandbox_then_the_sp_api_mounts_sit_beside_mws(sandbox, clock):
    app = create_app(Settings(), clock=clock, sandbox=sandbox)
    assert await call_through(httpx.ASGITransport(app=app), "http://testserver") == [200, 201, 200]


async def test_given_a_document_url_then_it_names_the_host_the_client_used(sandbox):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app), base_url="http://127.0.0.1:9000") as c:
        token = (await c.post("/sandbox/lwa/token", data=token_form())).json()["access_token"]
        created = await c.post("/sandbox/sp-api/feeds/2021-06-30/documents", json={"contentType": "text/plain"},
                               headers={"x-amz-access-token": token})
    assert created.json()["url"].startswith("http://127.0.0.1:9000/sandbox/documents/amzn1.tortuga.")
