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
                budget: float, sink: "Spool | None" = None) -> tuple[httpx.Response, bytes]:
    """Send `request` and read its body (at most `limit` bytes), connect to last byte within `budget`
    seconds; past it asyncio's TimeoutError. The response is closed when this returns. With `sink`, a
    2xx body goes there (the bytes returned are empty); an error answer is read as usual."""
    async with asyncio.timeout(budget):
        response = await http.send(request, auth=auth, stream=True)
        try:
            if sink is not None and 200 <= response.status_code < 300:
                sink.reset()
                await spool(response, sink, limit)
                return response, b""
            return response, await read_capped(response, limit)
        finally:
            await response.aclose()


class Spool:
    """A report body on its way in: kept in memory up to `MEMORY_BYTES`, on disk beyond, its MD5 made as
    it is written; read back in chunks. So a report of any size costs bounded memory, and its rows are
    parsed only once Amazon's Content-MD5 has been checked."""

    MEMORY_BYTES = 4 * 1024 * 1024
    CHUNK = 256 * 1024

    def __init__(self) -> None:
        import hashlib
        import tempfile

        self._new_hash = hashlib.md5
        self.file = tempfile.SpooledTemporaryFile(max_size=self.MEMORY_BYTES)
        self.md5 = self._new_hash()
        self.size = 0

    def reset(self) -> None:
        """Empty it (a retried download starts over)."""
        self.file.seek(0)
        self.file.truncate()
        self.md5, self.size = self._new_hash(), 0

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self.md5.update(chunk)
        self.size += len(chunk)

    def content_md5(self) -> str:
        import base64

        return base64.b64encode(self.md5.digest()).decode("ascii")

    async def chunks(self):
        """The body, from the start, CHUNK bytes at a time."""
        self.file.seek(0)
        while True:
            chunk = self.file.read(self.CHUNK)
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        self.file.close()


async def spool(response: httpx.Response, sink: Spool, limit: int) -> None:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise MalformedResponse(f"response body of {declared} bytes exceeds the {limit}-byte limit",
                                retriable=False)
    async for chunk in response.aiter_bytes():
        if sink.size + len(chunk) > limit:
            raise MalformedResponse(f"response body exceeds the {limit}-byte limit", retriable=False)
        sink.write(chunk)
