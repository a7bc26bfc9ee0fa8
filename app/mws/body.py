"""Reading an MWS answer's body within a size limit, so a hostile or broken answer cannot fill memory."""
from __future__ import annotations

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
