"""The MWS ASGI app (`Sandbox.mws_app`): parse, route on (path, Version, Action), authenticate, throttle, answer.

Pipeline per request: section by path (404 InvalidAddress) → Action (400) → pending fault →
Signature V2, Timestamp and seller grant (auth.py) → lazy order generation → throttle bucket →
handler → XML with `x-mws-request-id` (= ResponseMetadata/RequestId) and `x-mws-timestamp`.

The path signed by the client is the full path the app is served at: with the app mounted at
/sandbox/mws the client signs /sandbox/mws/Orders/2013-09-01. Servers and Starlette disagree on
whether `scope["path"]` already includes `root_path`, so both forms are accepted.

Faults "slow" and "drop" depend on how the app is reached. Through the in-process transport the
app raises `SlowAnswer` (after sleeping the sandbox clock) or `DroppedConnection`, which the
transport turns into httpx errors. Under a real server "slow" waits `slow_seconds` of real time and
"drop" starts a response with a Content-Length it never completes.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from . import xmlgen
from .auth import authenticate
from .errors import ROOT_NAMESPACE, MWSError, error_body, internal, invalid, invalid_address, missing, throttled
from .sections import Call, Reply, Section

if TYPE_CHECKING:
    from ..core import Sandbox

log = logging.getLogger("app.sandbox")
IN_PROCESS = "sandbox.in_process"      # scope key set by the in-process transport


class SlowAnswer(Exception):
    """In-process "slow" fault: the answer would come after the client's timeout."""


class DroppedConnection(Exception):
    """In-process "drop" fault: the connection broke before the answer was complete."""


def split_path(scope: dict[str, Any]) -> tuple[str, str]:
    """(full path as requested, path within this app)."""
    root, path = scope.get("root_path", "") or "", scope.get("path", "") or "/"
    if root and (path == root or path.startswith(root.rstrip("/") + "/")):
        return path, path[len(root.rstrip("/")):] or "/"
    return (root.rstrip("/") + path) or "/", path


async def read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


class MwsApp:
    def __init__(self, sandbox: "Sandbox") -> None:
        self.sandbox = sandbox

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        request_id = str(uuid.uuid4())
        body = await read_body(receive)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        params = dict(parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True))
        # SubmitFeed's parameters travel in the query and its body is the feed, whatever its type.
        if scope.get("method") == "POST" and params.get("Action") != "SubmitFeed" and headers.get(
                "content-type", "").startswith("application/x-www-form-urlencoded"):
            params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        full_path, path = split_path(scope)
        section: Section | None = None
        fault: list[str] = []                  # the fault this call met, if any
        try:
            section = self.resolve(path, params)
            reply = await self.handle(scope, section, params, body, headers, full_path, request_id, send, fault)
            if reply is None:
                return
        except MWSError as err:
            reply = Reply(self.error(err, section, request_id), status=err.status, headers=dict(err.quota_headers))
        except (SlowAnswer, DroppedConnection):
            raise
        except Exception:                      # a sandbox bug still answers like MWS would: 500 InternalError
            log.exception("sandbox handler failed")
            reply = Reply(self.error(internal(), section, request_id), status=500)
        if fault == ["malformed"]:
            reply.body = reply.body[: max(1, len(reply.body) // 2)]
        await self.send_reply(send, reply, request_id)

    @staticmethod
    def error(err: MWSError, section: Section | None, request_id: str) -> bytes:
        """In the section's namespace; throttles take Amazon's throttle form (errors.error_body)."""
        if section is None or err.code == "InvalidAddress":
            return error_body(err, ROOT_NAMESPACE, request_id, "RequestID")
        return error_body(err, section.namespace, request_id, section.request_id_tag)

    def resolve(self, path: str, params: dict[str, str]) -> Section:
        clean = path.rstrip("/") or "/"
        version = params.get("Version")
        if clean == "/":
            # Feeds and Reports share "/" and their Version: the Action tells them apart.
            roots = [s for s in self.sandbox.sections if s.root_alias and version == s.version]
            chosen = next((s for s in roots if params.get("Action") in s.handlers), roots[0] if roots else None)
            if chosen is not None:
                return chosen
            raise invalid_address("/", "API Version is missing" if not version else "")
        for section in self.sandbox.sections:
            if clean == section.path:
                if version is None:
                    raise missing("Version")
                if version != section.version:
                    raise invalid_address(path, f"API Version {version} is not supported")
                return section
            if clean == "/" + section.name:
                raise invalid_address(f"/{section.name}/", "API Version is missing")
        raise invalid_address(path)

    async def handle(self, scope, section: Section, params, body, headers, full_path, request_id, send,
                     met: list[str]) -> Reply | None:
        sandbox = self.sandbox
        action = params.get("Action")
        if not action:
            raise missing("Action")
        handler = section.handlers.get(action)
        if handler is None:
            raise invalid(f"Invalid Action: {action} is not an operation of {section.name}/{section.version}")
        fault = sandbox.faults.take(action)
        met.extend([fault] if fault else [])
        in_process = bool(scope.get(IN_PROCESS))
        if fault in ("500", "503"):
            err = internal() if fault == "500" else throttled()
            # Like real answers of hourly groups (Feeds), an injected error carries x-mws-quota-*;
            # it spends nothing. The caller is the one it names, if the sandbox knows it (not authenticated).
            key, seller_id = params.get("AWSAccessKeyId", ""), params.get("SellerId") or params.get("Merchant", "")
            if seller_id in getattr(sandbox.developers.get(key), "sellers", {}):
                err.quota_headers = sandbox.throttle.peek(seller_id, key, action, sandbox.now_ms() / 1000,
                                                          f"{section.name}/{section.version}/{action}")
            raise err
        if fault == "slow":
            if in_process:
                await sandbox.clock.sleep(sandbox.slow_seconds)
                raise SlowAnswer(action)
            await asyncio.sleep(sandbox.slow_seconds)
        if fault == "drop":
            if in_process:
                raise DroppedConnection(action)
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"text/xml"), (b"content-length", b"4096")]})
            await send({"type": "http.response.body", "body": xmlgen.DECLARATION, "more_body": True})
            return None
        developer, seller = authenticate(
            sandbox.developers, params, method=scope.get("method", "POST"), host=headers.get("host", ""),
            path=full_path, wall=sandbox.wall, section=section.name, action=action)
        now_ms = sandbox.now_ms()
        sandbox.refresh(now_ms)
        # Per section's operation; a 503 it raises (RequestThrottled, QuotaExceeded) already carries the
        # group's x-mws-quota-* headers in err.quota_headers, which __call__ sends with the error.
        quota_headers = sandbox.throttle.take(seller.seller_id, developer.access_key_id, action, now_ms / 1000,
                                              f"{section.name}/{section.version}/{action}")
        call = Call(section, action, params, body, headers, developer, seller, now_ms, scope.get("method", "POST"))
        try:
            result = handler(call)
        except MWSError as err:
            err.quota_headers = quota_headers
            raise
        reply = result if isinstance(result, Reply) else Reply(section.wrap(action, result, request_id))
        reply.headers.update(quota_headers)
        return reply

    async def send_reply(self, send, reply: Reply, request_id: str) -> None:
        headers = {"content-type": reply.content_type, "content-length": str(len(reply.body)),
                   "x-mws-request-id": request_id,
                   "x-mws-timestamp": xmlgen.iso_ms(self.sandbox.now_ms()), **reply.headers}
        await send({"type": "http.response.start", "status": reply.status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]})
        await send({"type": "http.response.body", "body": reply.body})
