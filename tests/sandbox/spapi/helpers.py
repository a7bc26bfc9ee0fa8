"""A small, independent SP-API caller for the sandbox tests (never app.spapi): LWA form posts, JSON
calls with `x-amz-access-token`, the feed document dance, and readers for Amazon's models."""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import httpx

from app.sandbox.spapi import LWA_DEMO

API = "/sandbox/sp-api"
ORDERS = f"{API}/orders/2026-01-01/orders"
FEEDS = f"{API}/feeds/2021-06-30"
PARTICIPATIONS = f"{API}/sellers/v1/marketplaceParticipations"
JSON_TYPE = "application/json; charset=UTF-8"
XML_TYPE = "text/xml; charset=UTF-8"


def token_form(**over: str | None) -> dict[str, str]:
    form = {"grant_type": "refresh_token", "refresh_token": LWA_DEMO["refreshToken"],
            "client_id": LWA_DEMO["lwaClientId"], "client_secret": LWA_DEMO["lwaClientSecret"]}
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


class SpCaller:
    def __init__(self, http: httpx.AsyncClient, sandbox, clock) -> None:
        self.http, self.sandbox, self.clock = http, sandbox, clock
        self._token: str | None = None

    async def token(self, fresh: bool = False) -> str:
        if self._token is None or fresh:
            response = await self.http.post("/sandbox/lwa/token", data=token_form())
            assert response.status_code == 200, response.text
            self._token = response.json()["access_token"]
        return self._token

    async def get(self, path: str, params: dict[str, Any] | None = None, token: str | None = "auto") -> httpx.Response:
        return await self.http.get(path, params=params, headers=await self._headers(token))

    async def post(self, path: str, body: Any, token: str | None = "auto") -> httpx.Response:
        return await self.http.post(path, json=body, headers=await self._headers(token))

    async def delete(self, path: str, token: str | None = "auto") -> httpx.Response:
        return await self.http.delete(path, headers=await self._headers(token))

    async def _headers(self, token: str | None) -> dict[str, str]:
        token = await self.token() if token == "auto" else token
        return {} if token is None else {"x-amz-access-token": token}

    async def fault(self, operation: str, kind: str, count: int = 1) -> None:
        response = await self.http.post("/sandbox/admin/faults", json={"operation": operation, "kind": kind,
                                                                        "count": count})
        assert response.status_code == 200, response.text

    async def submit(self, content: bytes, feed_type: str, content_type: str = JSON_TYPE,
                     marketplaces: tuple[str, ...] = ("ATVPDKIKX0DER",)) -> str:
        """createFeedDocument → PUT → createFeed, as a correct client does; the feedId."""
        created = (await self.post(f"{FEEDS}/documents", {"contentType": content_type})).json()
        upload = await self.http.put(created["url"], content=content, headers={"content-type": content_type})
        assert upload.status_code == 200, upload.text
        response = await self.post(f"{FEEDS}/feeds", {"feedType": feed_type, "marketplaceIds": list(marketplaces),
                                                      "inputFeedDocumentId": created["feedDocumentId"]})
        assert response.status_code == 202, response.text
        return response.json()["feedId"]

    async def result(self, feed_id: str) -> tuple[dict[str, Any], bytes | None]:
        """getFeed, and the result document (gunzipped) when there is one."""
        feed = (await self.get(f"{FEEDS}/feeds/{feed_id}")).json()
        if "resultFeedDocumentId" not in feed:
            return feed, None
        document = (await self.get(f"{FEEDS}/documents/{feed['resultFeedDocumentId']}")).json()
        raw = (await self.http.get(document["url"])).content
        return feed, gzip.decompress(raw) if document.get("compressionAlgorithm") == "GZIP" else raw


def error(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][0]["code"]


def sp_model(name: str) -> dict[str, Any]:
    """One of Amazon's SP-API models from ../shared (read for tests, never copied)."""
    from tests.conftest import SHARED, require_shared

    return json.loads(require_shared(SHARED / "amazon-reference" / "sp-api" / name).read_text(encoding="utf-8"))


def listings_schema(name: str) -> dict[str, Any]:
    from tests.conftest import SHARED, require_shared

    path: Path = require_shared(SHARED / "amazon-reference" / "sp-api" / "json-listings-feed" / name)
    return json.loads(path.read_text(encoding="utf-8"))
