"""MAX_BODY_BYTES: a request body over the limit answers 413 before anything parses it.

A plain ASGI middleware in front of every route but `/sandbox/...` (the sandbox limits its own):
- a Content-Length over the limit is answered at once, the body left unread;
- a body without one (chunked) is read here, counting, and the reading stops at the first chunk that
  passes the limit; a body within it is handed on whole, as the route would have read it anyway.
The 413 has the API's error shape, `{"detail": [{"path": "body", "message": ...}]}`.
"""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import problems_response
from app.runtime.errors import InputProblem

EXEMPT_PREFIX = "/sandbox/"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(EXEMPT_PREFIX):
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None:
            if length > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away: nobody to answer
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Connection: close, the unread rest of the body is not waited for.
        problem = InputProblem("body", f"is larger than the {self.max_bytes} bytes this service accepts (MAX_BODY_BYTES)")
        await problems_response(413, [problem], {"Connection": "close"})(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    """The declared length; None when there is none (or it is not a number: the server refuses that)."""
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            digits = value.strip()
            if not digits.isdigit():
                return None
            return int(digits) if len(digits) <= 18 else 10**18  # int() refuses thousands of digits
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read here as one message, then the real channel (a streamed answer waits on it for
    the client's disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay
