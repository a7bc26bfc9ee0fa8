"""The SP-API ASGI app (mounted at /sandbox/sp-api): route, fault, authenticate, throttle, answer JSON.

Pipeline per request: (method, path) → operationId (404 / 405 otherwise) → pending fault of that
operationId → `x-amz-access-token` (403 Unauthorized: missing, unknown, expired) → lazy data
progress (orders generator, feeds) → usage plan (429 QuotaExceeded) → handler → JSON. Every answer
carries `x-amzn-RequestId`; every answer past authentication carries `x-amzn-RateLimit-Limit`.

Faults (set at /sandbox/admin/faults with an operationId): "429", "500", "503", "expired-token" (the
token presented is expired from then on), "malformed" (the answer cut short), "slow" and "drop",
which behave as in the MWS app: in-process they raise what the transport turns into httpx errors.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import parse_qsl

from . import feeds, orders, reports, sellers
from .call import Call, Reply
from .errors import SpApiError, internal, quota_exceeded, unavailable
from .params import Query
from .seams import IN_PROCESS, DroppedConnection, SlowAnswer, read_body

if TYPE_CHECKING:
    from .core import SpApi

log = logging.getLogger("app.sandbox")
ROUTES: list[tuple[str, re.Pattern[str], str, Callable[[Call], Any]]] = [
    (method, re.compile(f"^{pattern}$"), operation, handler) for method, pattern, operation, handler in (
        ("GET", r"/orders/2026-01-01/orders", "searchOrders", orders.search_orders),
        ("GET", r"/orders/2026-01-01/orders/(?P<orderId>[^/]+)", "getOrder", orders.get_order),
        ("GET", r"/sellers/v1/marketplaceParticipations", "getMarketplaceParticipations",
         sellers.get_marketplace_participations),
        ("POST", r"/feeds/2021-06-30/documents", "createFeedDocument", feeds.create_feed_document),
        ("GET", r"/feeds/2021-06-30/documents/(?P<feedDocumentId>[^/]+)", "getFeedDocument", feeds.get_feed_document),
        ("POST", r"/feeds/2021-06-30/feeds", "createFeed", feeds.create_feed),
        ("GET", r"/feeds/2021-06-30/feeds", "getFeeds", feeds.get_feeds),
        ("GET", r"/feeds/2021-06-30/feeds/(?P<feedId>[^/]+)", "getFeed", feeds.get_feed),
        ("DELETE", r"/feeds/2021-06-30/feeds/(?P<feedId>[^/]+)", "cancelFeed", feeds.cancel_feed),
        ("POST", r"/reports/2021-06-30/reports", "createReport", reports.create_report),
        ("GET", r"/reports/2021-06-30/reports", "getReports", reports.get_reports),
        ("GET", r"/reports/2021-06-30/reports/(?P<reportId>[^/]+)", "getReport", reports.get_report),
        ("DELETE", r"/reports/2021-06-30/reports/(?P<reportId>[^/]+)", "cancelReport", reports.cancel_report),
        ("GET", r"/reports/2021-06-30/documents/(?P<reportDocumentId>[^/]+)", "getReportDocument",
         reports.get_report_document),
    )]
OPERATIONS = frozenset(operation for _, _, operation, _ in ROUTES)
FAULT_KINDS = ("429", "500", "503", "malformed", "drop", "slow", "expired-token")


def inner_path(scope: dict[str, Any]) -> str:
    """The path within the mount: servers and Starlette disagree on whether `path` includes root_path."""
    root, path = (scope.get("root_path") or "").rstrip("/"), scope.get("path") or "/"
    return path[len(root):] or "/" if root and (path == root or path.startswith(root + "/")) else path


def resolve(method: str, path: str) -> tuple[str, Callable[[Call], Any], dict[str, str]]:
    allowed = False
    for route_method, pattern, operation, handler in ROUTES:
        match = pattern.match(path.rstrip("/") or "/")
        if match:
            allowed = True
            if route_method == method:
                return operation, handler, match.groupdict()
    if allowed:
        raise SpApiError(405, "MethodNotAllowed", f"{method} is not allowed on {path}", "")
    raise SpApiError(404, "NotFound", "Resource not found", f"No SP-API operation at {path}")


class SpApiApp:
    def __init__(self, spapi: "SpApi") -> None:
        self.spapi = spapi

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
        met: list[str] = []
        try:
            operation, handler, path_params = resolve(scope.get("method", "GET"), inner_path(scope))
            reply = await self.handle(scope, operation, handler, path_params, body, headers, send, met)
            if reply is None:
                return
        except SpApiError as err:
            reply = Reply(err.body(), err.status, dict(err.headers))
        except (SlowAnswer, DroppedConnection):
            raise
        except Exception:                      # a sandbox bug still answers like Amazon would: 500
            log.exception("SP-API sandbox handler failed")
            reply = Reply(internal().body(), 500)
        data = b"" if reply.payload is None else json.dumps(reply.payload, separators=(",", ":")).encode()
        if met == ["malformed"]:
            data = data[: len(data) // 2] if len(data) > 1 else b"{"
        head = {"content-type": "application/json", "content-length": str(len(data)),
                "x-amzn-requestid": request_id, **{k.lower(): v for k, v in reply.headers.items()}}
        await send({"type": "http.response.start", "status": reply.status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in head.items()]})
        await send({"type": "http.response.body", "body": data})

    async def handle(self, scope, operation: str, handler, path_params: dict[str, str], body: bytes,
                     headers: dict[str, str], send, met: list[str]) -> Reply | None:
        spapi, sandbox = self.spapi, self.spapi.sandbox
        fault = sandbox.faults.take(operation)
        met.extend([fault] if fault else [])
        in_process = bool(scope.get(IN_PROCESS))
        if fault == "500":
            raise internal()
        if fault == "503":
            raise unavailable()
        if fault == "slow":
            if in_process:
                await sandbox.clock.sleep(sandbox.slow_seconds)
                raise SlowAnswer(operation)
            await asyncio.sleep(sandbox.slow_seconds)
        if fault == "drop":
            if in_process:
                raise DroppedConnection(operation)
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")]})
            await send({"type": "http.response.body", "body": b'{"', "more_body": True})
            return None
        now_ms = sandbox.now_ms()
        token = headers.get("x-amz-access-token")
        if fault == "expired-token":
            spapi.lwa.expire(token, now_ms)
        grant = spapi.lwa.check(token, now_ms)
        limit = spapi.usage.limit_header(operation)
        try:
            if fault == "429":
                raise quota_exceeded()
            sandbox.refresh(now_ms)
            spapi.usage.take(grant.seller_id, grant.client_id, operation, now_ms / 1000)
            query = Query(parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True))
            host = headers.get("host") or "sandbox.local"
            call = Call(spapi, operation, grant.seller_id, grant.client_id, query, path_params, body, headers,
                        now_ms, f"{scope.get('scheme', 'http')}://{host}")
            result = handler(call)
        except SpApiError as err:
            err.headers.update(limit)
            raise
        reply = result if isinstance(result, Reply) else Reply(result)
        reply.headers.update(limit)
        return reply
