"""Reading an MWS answer within a size limit and a time budget, so a hostile or broken answer can
fill neither memory nor the step's time (a body trickled a byte a second ends too)."""
from __future__ import annotations

import asyncio

import httpx

from app.mws.errors import MalformedResponse


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise MalformedResponse(f"response body of {declared} bytes exceeds the {limit}-byte limit",
                                retriable=False)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise MalformedResponse(f"response body exceeds the {limit}-byte limit", retriable=False)
        chunks.append(chunk)
    return b"".join(chunks)


async def fetch(http: httpx.AsyncClient, request: httpx.Request, *, auth: httpx.Auth | None, limit: int,
                budget: float) -> tuple[httpx.Response, bytes]:
    """Send `request` and read its body (at most `limit` bytes), connect to last byte within `budget`
    seconds; past it asyncio's TimeoutError. The response is closed when this returns."""
    async with asyncio.timeout(budget):
        response = await http.send(request, auth=auth, stream=True)
        try:
            return response, await read_capped(response, limit)
        finally:
            await response.aclose()
