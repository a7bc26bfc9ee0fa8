"""Calling SP-API: one request path, the shared decision table and pacer, paging in one place.

    result = await client.call("searchOrders", query={"marketplaceIds": ["ATVPDKIKX0DER"], ...})
    result = await client.call("getOrder", path={"orderId": "902-..."})
    async for page in client.pages("searchOrders", query, next_token=...): ...

JSON over HTTPS with `x-amz-access-token` (Login with Amazon, app.spapi.lwa) and a user-agent, no
AWS signature. What to do about a failure is app.mws.retry's one table (`classify` / `wait_for`): a
429 is SP-API's 503 — an error at once in sample mode, waited out in run mode (at least
THROTTLE_RETRY_DELAY and the operation's restore time) within the deadline; 5xx, network faults and
bodies that are not JSON are retried with backoff; createFeed and createFeedDocument only when Amazon
surely did not get them. A 401/403 that says the token expired drops it and repeats the call once
with a new one, in sample mode too. Calls are paced per (endpoint, seller, client) and operationId by
the usage plans (app/model/spapi/usage_plans.json, MWS_QUOTAS overriding), and an authenticated
answer's `x-amzn-RateLimit-Limit` teaches the rate. No log line, metric or error text carries a
token, a secret or a query string.
"""
from __future__ import annotations

import hashlib
import json
import logging
import platform
from dataclasses import dataclass
from typing import Any, AsyncIterator, Mapping
from urllib.parse import quote

import httpx

from app import metrics
from app.clock import Clock
from app.model import load
from app.mws.body import fetch
from app.mws.endpoints import ENDPOINT_MESSAGE, endpoint_allowed
from app.mws.retry import Decision, classify, wait_for
from app.pacing.buckets import BucketKey
from app.pacing.pacer import Pacer, pacer_for
from app.runtime.errors import DeadlineExceeded
from app.runtime.http import reaches_network
from app.runtime.waits import check_deadline, wait_before
from app.settings import Settings
from app.spapi import endpoints
from app.spapi.credentials import SpapiCredentials
from app.spapi.errors import (
    AuthError,
    MalformedResponse,
    MWSError,
    NotFound,
    RequestError,
    ServerError,
    Throttled,
    Timeout,
    TransportError,
    UnexpectedResponse,
)
from app.spapi.lwa import TokenCache

USER_AGENT = f"amazon-seller-component/0.2.0 (Language=Python/{platform.python_version()})"
MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_TOKEN_CHARS = 64 * 1024
OPERATIONS: dict[str, dict[str, Any]] = load("spapi", "operations")["operations"]
logger = logging.getLogger("app.spapi")


class _TokenRefused(Exception):
    """A 401/403 that says the access token expired or is invalid: refresh once and repeat."""

    def __init__(self, error: AuthError) -> None:
        self.error = error


@dataclass
class SpapiResult:
    operation: str
    status: int
    data: dict[str, Any]
    request_id: str | None
    headers: httpx.Headers


class SpapiClient:
    def __init__(self, credentials: SpapiCredentials, *, http: httpx.AsyncClient, clock: Clock,
                 settings: Settings, pacer: Pacer, tokens: TokenCache, endpoint: str, lwa_url: str,
                 mode: str = "run", deadline: float | None = None, sandbox_mounted: bool = False,
                 log: logging.Logger | logging.LoggerAdapter | None = None) -> None:
        self.credentials, self.http, self.clock, self.settings = credentials, http, clock, settings
        self.pacer, self.tokens, self.mode, self.deadline = pacer, tokens, mode, deadline
        self.endpoint, self.lwa_url, self.sandbox_mounted = endpoint.rstrip("/"), lwa_url, sandbox_mounted
        self.log = log if log is not None else logger
        # Whose quota a call spends: endpoint, seller and app (keyed hash), never the secrets.
        self.bucket = BucketKey(self.endpoint.lower(), credentials.seller_id, credentials.fingerprint)
        self._token: str | None = None

    # -- public -------------------------------------------------------------------------------
    async def call(self, operation: str, *, path: Mapping[str, str] | None = None,
                   query: Mapping[str, Any] | None = None, body: Any = None) -> SpapiResult:
        op = OPERATIONS[operation]
        failures = throttles = 0
        refreshed = False
        while True:
            await self._pace(operation)
            try:
                return await self._attempt(operation, op, path, query, body, refreshed)
            except _TokenRefused as refused:
                if refreshed:
                    raise refused.error from None
                refreshed = True  # once, in sample mode too: not a throttle retry
                self.tokens.invalidate(self.credentials)
            except MWSError as err:
                if isinstance(err, Throttled):
                    throttles += 1
                    await self.pacer.athrottled(self.bucket, operation, err.code)
                else:
                    failures += 1
                decision = classify(err, mode=self.mode, failures=failures, throttles=throttles,
                                    deadline=self.deadline, idempotent=bool(op.get("idempotent", True)))
                if decision in (Decision.FAIL, Decision.REBOUND):
                    raise
                wait = wait_for(decision, failures=failures,
                                throttle_delay=self.settings.throttle_retry_delay_ms / 1000.0,
                                restore_seconds=self.pacer.restore_seconds(operation))
                if decision is Decision.THROTTLE_WAIT:
                    wait = max(wait, await self.pacer.adelay(self.bucket, operation))
                await self._sleep(wait, operation, f"{err.code} answered")

    async def pages(self, operation: str, query: Mapping[str, Any], *, next_token: str | None = None,
                    token_param: str = "paginationToken") -> AsyncIterator[tuple[SpapiResult, str | None]]:
        """Every page with the token of the next (None on the last); resumes at `next_token`. Every
        other parameter stays as it was (Amazon refuses a token with changed parameters). A token that
        repeats, or one over 64 KB, stops with MalformedResponse naming the page, never the token."""
        seen: set[bytes] = set()
        token, page = next_token, 0
        while True:
            result = await self.call(operation, query={**query, **({token_param: token} if token else {})})
            page += 1
            nxt = _next_token(result.data)
            if nxt is not None:
                digest = hashlib.sha256(nxt.encode()).digest()
                if len(nxt) > MAX_TOKEN_CHARS or digest in seen or nxt == next_token:
                    raise MalformedResponse(f"{operation} answered page {page} with a pagination token that is "
                                            "too long or repeats an earlier one; paging stopped", retriable=False)
                seen.add(digest)
            yield result, nxt
            if nxt is None:
                return
            token = nxt

    # -- one attempt ----------------------------------------------------------------------------
    async def _attempt(self, operation: str, op: Mapping[str, Any], path: Mapping[str, str] | None,
                       query: Mapping[str, Any] | None, body: Any, refreshed: bool) -> SpapiResult:
        url = self.endpoint + op["path"].format(**{k: quote(str(v), safe="") for k, v in (path or {}).items()})
        self._admit(url, operation, endpoints.API_HOSTS)
        self._admit(self.lwa_url, operation, endpoints.LWA_HOSTS)
        token = await self.tokens.token(self.credentials, self.lwa_url, http=self.http,
                                        budget=self._budget(operation)[0])
        self._token = token
        headers = {"x-amz-access-token": token, "user-agent": USER_AGENT, "accept": "application/json"}
        content = None
        if body is not None:
            headers["content-type"] = "application/json"
            content = json.dumps(body, separators=(",", ":")).encode()
        request = self.http.build_request(op["method"], url, params=_query(query), content=content, headers=headers)
        budget, nearer = self._budget(operation)
        try:
            response, raw = await fetch(self.http, request, auth=None, limit=MAX_JSON_BYTES, budget=budget)
        except TimeoutError:
            late = self._late(operation, op, budget, nearer)
            self._count(operation, late.code)
            raise late from None
        except httpx.TimeoutException as exc:
            self._count(operation, "Timeout")
            timeout = Timeout(f"SP-API did not answer {operation} in time ({type(exc).__name__})")
            timeout.request_sent = not isinstance(exc, httpx.ConnectTimeout)
            raise timeout from None
        except httpx.TransportError as exc:  # our words: httpx's text has the URL
            self._count(operation, "TransportError")
            lost = TransportError(f"the connection to SP-API failed during {operation} ({type(exc).__name__})")
            lost.request_sent = not isinstance(exc, httpx.ConnectError)
            raise lost from None
        except MWSError as refused:  # a body over the size limit
            self._count(operation, refused.code)
            raise
        status, request_id = response.status_code, response.headers.get("x-amzn-RequestId")
        if 200 <= status < 300:
            data = self._json(raw, operation, request_id)
            await self._learn(operation, response.headers)
            self._count(operation, "ok")
            self.log.debug("spapi call %s status=%s request_id=%s", operation, status, request_id)
            return SpapiResult(operation, status, data, request_id, response.headers)
        err = self._error(operation, status, raw, request_id)
        self._count(operation, err.code)
        self.log.debug("spapi call %s status=%s request_id=%s error=%s", operation, status, request_id, err.code)
        if isinstance(err, AuthError) and _token_refused(raw):
            raise _TokenRefused(err)
        if 400 <= status < 500 and status not in (401, 403, 429):
            await self._learn(operation, response.headers)
        raise err

    def _admit(self, url: str, operation: str, hosts: frozenset[str]) -> None:
        """Defense in depth behind the pre-run check: no token or request goes elsewhere."""
        if reaches_network(self.http, httpx.URL(url)) and not endpoint_allowed(
                url, self.settings, sandbox_mounted=self.sandbox_mounted, amazon_hosts=hosts):
            raise RequestError(f"{operation} not sent: {ENDPOINT_MESSAGE}", code="EndpointNotAllowed")

    def _json(self, raw: bytes, operation: str, request_id: str | None) -> dict[str, Any]:
        try:
            data = json.loads(raw or b"{}", parse_constant=_refuse_constant)
        except (ValueError, RecursionError):
            raise MalformedResponse(f"SP-API answered {operation} with a body that is not JSON"
                                    + (f" (x-amzn-RequestId {request_id})" if request_id else "")) from None
        if not isinstance(data, dict):
            raise MalformedResponse(f"SP-API answered {operation} with JSON that is not an object")
        return data

    def _error(self, operation: str, status: int, raw: bytes, request_id: str | None) -> MWSError:
        try:
            errors = json.loads(raw).get("errors")
            first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else None
        except (ValueError, AttributeError, RecursionError):
            first = None
        mask = lambda text: self.credentials.mask(text, *(t for t in (self._token,) if t))  # noqa: E731
        if first is None:
            if status >= 500:
                return ServerError(f"SP-API answered HTTP {status} to {operation}", status=status, request_id=request_id)
            if status == 429:
                return Throttled("You exceeded your quota for the requested resource.", code="QuotaExceeded",
                                 status=status, request_id=request_id)
            return UnexpectedResponse(f"SP-API answered HTTP {status} to {operation} without an error document",
                                      status=status)
        code = mask(str(first.get("code") or "")) or None
        message = mask(str(first.get("message") or "")) or f"SP-API answered HTTP {status} to {operation}"
        details = (mask(str(first.get("details") or "")) or "").strip()
        if details and details not in message:
            # "Invalid Input" alone tells a user nothing: Amazon's details say which parameter and why.
            message = f"{message}: {details}"
        kind = {429: Throttled, 401: AuthError, 403: AuthError, 404: NotFound}.get(status)
        if kind is None:
            kind = ServerError if status >= 500 else RequestError
        err = kind(message, code=code, status=status, request_id=request_id,
                   type="Sender" if 400 <= status < 500 else None)
        if kind is Throttled:
            err.code = code or "QuotaExceeded"
        return err

    # -- waiting ----------------------------------------------------------------------------------
    async def _learn(self, operation: str, headers: httpx.Headers) -> None:
        raw = headers.get("x-amzn-RateLimit-Limit")
        try:
            rate = float(raw) if raw else None
        except ValueError:
            rate = None
        if rate is not None:
            await self.pacer.alearn_rate(self.bucket, operation, rate)

    async def _pace(self, operation: str) -> None:
        if self.mode != "run":
            await self.pacer.areserve(self.bucket, operation)  # one request, at once
            return
        self._check(await self.pacer.adelay(self.bucket, operation), operation, "pacing")
        wait = await self.pacer.areserve(self.bucket, operation)
        if wait > 0:
            metrics.SPAPI_PACING_WAIT.labels(operation).inc(wait)
        await self._sleep(wait, operation, "pacing")

    def _budget(self, operation: str) -> tuple[float, bool]:
        budget = float(self.settings.mws_http_timeout)
        if self.deadline is None:
            return budget, False
        left = self.deadline - self.clock.time()
        if left <= 0:
            raise DeadlineExceeded(f"STEP_TIMEOUT has passed before {operation} could be sent")
        return (left, True) if left <= budget else (budget, False)

    @staticmethod
    def _late(operation: str, op: Mapping[str, Any], budget: float, nearer: bool) -> DeadlineExceeded | Timeout:
        if nearer and op.get("idempotent", True):
            return DeadlineExceeded(f"STEP_TIMEOUT passed while waiting for SP-API to answer {operation}")
        return Timeout(f"SP-API did not answer {operation} within "
                       + ("STEP_TIMEOUT" if nearer else f"MWS_HTTP_TIMEOUT ({budget:g} s)"))

    def _check(self, wait: float, operation: str, reason: str) -> None:
        check_deadline(self.clock, self.deadline, wait, operation, reason)

    async def _sleep(self, wait: float, operation: str, reason: str) -> None:
        await wait_before(self.clock, self.deadline, self.log, wait, operation, reason)

    @staticmethod
    def _count(operation: str, outcome: str | None) -> None:
        metrics.SPAPI_CALLS.labels(operation, outcome or "other").inc()


def _query(query: Mapping[str, Any] | None) -> dict[str, str]:
    """Array parameters comma-separated (SP-API's convention); None left out."""
    out = {}
    for key, value in (query or {}).items():
        if value is None or value == []:
            continue
        out[key] = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return out


def _next_token(data: Mapping[str, Any]) -> str | None:
    for holder in (data.get("pagination"), data):
        if isinstance(holder, dict):
            token = holder.get("nextToken")
            if isinstance(token, str) and token:
                return token
    return None


def _token_refused(raw: bytes) -> bool:
    """Amazon says an access token expired or is invalid (in code, message or details)."""
    text = raw[:4096].decode("utf-8", "replace").lower()
    return "expired" in text or ("invalid" in text and "token" in text)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def spapi_pacer_for(services: Any) -> Pacer:
    """The process's one SP-API pacer: usage plans as groups, MWS_QUOTAS overriding by operationId."""
    return pacer_for(services, "spapi", load("spapi", "usage_plans"))


def client_for(ctx: Any, *, mode: str | None = None) -> SpapiClient:
    """The client of a step execution: its cfg's credentials, mode and deadline, the shared pacer and
    token cache; endpoints by cfg, settings, the mounted sandbox, else the marketplace's region."""
    from app.spapi.lwa import token_cache_for

    services = ctx.services
    origin = getattr(services, "sandbox_origin", None)
    return SpapiClient(
        SpapiCredentials.from_cfg(ctx.cfg), http=ctx.http, clock=ctx.clock, settings=ctx.settings,
        pacer=spapi_pacer_for(services), tokens=token_cache_for(services),
        endpoint=endpoints.api_endpoint(ctx.cfg, ctx.settings, origin),
        lwa_url=endpoints.lwa_endpoint(ctx.cfg, ctx.settings, origin),
        mode=mode or ctx.mode, deadline=getattr(ctx, "deadline", None), sandbox_mounted=origin is not None,
        log=getattr(ctx, "log", None))
