"""An NDJSON streaming answer that stops the step when the client goes away.

Starlette's StreamingResponse only watches for a disconnect under ASGI spec < 2.4, leaves the body
iterator unclosed when a send fails, and cancels through an anyio scope, which can keep missing a
writer that never blocks (a busy step, a send that returns at once to a gone client). This one runs
the writer and a disconnect watcher as asyncio tasks, cancels the writer outright when the client
goes, and always closes the body iterator (which cancels the step task behind it).
"""
from __future__ import annotations

import asyncio
import contextlib

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

NDJSON = "application/x-ndjson"


class NDJSONResponse(StreamingResponse):
    media_type = NDJSON

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        writer = asyncio.ensure_future(self._write(send))
        watcher = asyncio.ensure_future(self.listen_for_disconnect(receive))
        try:
            await asyncio.wait({writer, watcher}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (writer, watcher):
                task.cancel()
            await asyncio.gather(writer, watcher, return_exceptions=True)
            aclose = getattr(self.body_iterator, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()

    async def _write(self, send: Send) -> None:
        try:
            await self.stream_response(send)
        except OSError:  # the client went away mid-write
            pass
