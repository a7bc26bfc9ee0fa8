"""Calling MWS: one request path, one decision table, paging in one place.

    result = await client.call("ListOrders", {"LastUpdatedAfter": "...", "MarketplaceId.Id.1": "..."})
    async for page in client.pages("ListOrders", params): ...

What to do about a failure, and how long to wait, is the table in `app.mws.retry`: in short,
sample mode sends one request and raises any error at once; run mode waits out 503s, whatever
their code (at least THROTTLE_RETRY_DELAY and the bucket's restore time), retries 500s, network faults and malformed
bodies 4 times with backoff, and raises the rest.

Every wait (pacing, throttle, backoff) is on the injected clock and respects the deadline: a wait
that would pass it raises `DeadlineExceeded` instead, so the step can rebound and resume. Each
attempt, connect to last byte, is bounded as a whole by the time left and by MWS_HTTP_TIMEOUT:
`DeadlineExceeded` when the deadline is the nearer (`Timeout` for SubmitFeed, which may have been
accepted: a rebound would submit it again), `Timeout` otherwise.

Requests go only to admitted endpoints (`endpoint_allowed`); any other that would reach the network
is refused (`EndpointNotAllowed`) before a request is built; redirects are not followed. Pacing
buckets are the caller's (`BucketKey`) and 401/403 answers teach them nothing. Amazon's error text
is relayed with the credentials masked. Paging stops on a NextToken that repeats or exceeds 64 KB.
Log lines carry the operation, status, request id and attempt: never the URL or the query, which
carry the MWSAuthToken.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Mapping

import httpx

from app import metrics
from app.clock import Clock
from app.mws import errors as mws_errors
from app.mws import logsafe
from app.mws.auth import FORM_CONTENT_TYPE, SignatureV2, encode
from app.mws.body import Spool, fetch
from app.mws.credentials import Credentials
from app.mws.endpoints import MWS_HOSTS, endpoint_allowed, endpoint_for, url_for
from app.mws.errors import (
    ContentMD5Mismatch,
    EndpointNotAllowed,
    MalformedResponse,
    MWSError,
    Throttled,
    Timeout,
    TransportError,
    UnexpectedResponse,
)
from app.mws.md5 import verify_md5
from app.mws.operations import Operation, error_class_name
from app.mws.operations import operation as lookup
from app.mws.retry import Decision, classify, wait_for
from app.mws.xml import MAX_XML_BYTES, parse_error, parse_result
from app.pacing.buckets import BucketKey
from app.pacing.pacer import Pacer, pacer_for
from app.runtime.errors import DeadlineExceeded
from app.runtime.http import reaches_network
from app.runtime.waits import check_deadline, wait_before
from app.settings import Settings

USER_AGENT = "amazon-mws-component/0.1.0 (Language=Python)"
MAX_RAW_BYTES = 64 * 1024 * 1024  # a processing report of a 30,000-record feed fits easily
MAX_SPOOL_BYTES = 4 * 1024 * 1024 * 1024  # a report spooled to disk: years of orders fit
MAX_NEXT_TOKEN_BYTES = 64 * 1024  # Amazon's tokens are a few hundred bytes

logger = logging.getLogger("app.mws")
logsafe.install()  # httpx logs full URLs at INFO; SubmitFeed's query holds MWSAuthToken


@dataclass
class MWSResult:
    operation: str
    status: int
    data: dict[str, Any]  # the <XResult> element; {} for raw bodies
    request_id: str | None
    headers: httpx.Headers
    body: bytes = field(repr=False)
    next_token: str | None = None


def _param(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _next_token(data: Mapping[str, Any], operation: str) -> str | None:
    # Feeds say <NextToken>none</NextToken><HasNext>false</HasNext> on the last page.
    if data.get("hasNext") is False:
        return None
    token = data.get("nextToken")
    if isinstance(token, str) and len(token.encode()) > MAX_NEXT_TOKEN_BYTES:
        raise MalformedResponse(f"{operation} answered a NextToken over {MAX_NEXT_TOKEN_BYTES} bytes",
                                retriable=False)
    return token if isinstance(token, str) and token else None


class MWSClient:
    def __init__(
        self,
        credentials: Credentials,
        *,
        http: httpx.AsyncClient,
        clock: Clock,
        settings: Settings,
        pacer: Pacer | None = None,
        mode: str = "run",
        deadline: float | None = None,
        default_endpoint: str | None = None,
        log: logging.Logger | logging.LoggerAdapter | None = None,
        auth: httpx.Auth | None = None,
    ) -> None:
        self.credentials = credentials
        self.http = http
        self.clock = clock
        self.settings = settings
        self.pacer = pacer if pacer is not None else Pacer(clock, settings)
        self.mode = mode
        self.deadline = deadline
        self.log = log if log is not None else logger
        # Timestamps come from the injected clock too, so a virtual clock signs in its own time.
        self.auth = auth if auth is not None else SignatureV2(credentials, now=clock.time)
        self.endpoint = endpoint_for(
            credentials.marketplace_id,
            credentials.endpoint_url,
            default=settings.mws_endpoint or default_endpoint,
        )
        # Whose quota a call spends: never the seller id alone (nearly public), never the secrets.
        self.bucket = BucketKey(self.endpoint.lower(), credentials.seller_id, credentials.fingerprint)

    # -- public -------------------------------------------------------------------------------
    async def call(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        sink: Spool | None = None,
    ) -> MWSResult:
        """`sink`: a raw body (GetReport) is written there, its Content-MD5 checked, and not held in memory."""
        op = lookup(operation)
        failures = throttles = attempt = 0
        while True:
            attempt += 1
            await self._pace(op)
            try:
                return await self._attempt(op, params, body, content_type, attempt, sink)
            except MWSError as err:
                if isinstance(err, Throttled):
                    throttles += 1
                    await self.pacer.athrottled(self.bucket, op.throttle_group, err.code,
                                                err.headers, err.message)
                else:
                    failures += 1
                decision = classify(err, mode=self.mode, failures=failures, throttles=throttles,
                                    deadline=self.deadline, idempotent=op.idempotent)
                if decision in (Decision.FAIL, Decision.REBOUND):
                    raise
                wait = wait_for(
                    decision,
                    failures=failures,
                    throttle_delay=self.settings.throttle_retry_delay_ms / 1000.0,
                    restore_seconds=self.pacer.restore_seconds(op.throttle_group),
                )
                if decision is Decision.THROTTLE_WAIT:
                    # A QuotaExceeded blocks the group until its reset: a reset past the deadline
                    # raises DeadlineExceeded now, not after a first throttle wait.
                    wait = max(wait, await self.pacer.adelay(self.bucket, op.throttle_group))
                await self._sleep(wait, op, f"{err.code} answered")

    async def pages(
        self, operation: str, params: Mapping[str, Any] | None = None, *, next_token: str | None = None
    ) -> AsyncIterator[MWSResult]:
        """Every page: the operation, then its ...ByNextToken while a NextToken comes back.

        With `next_token`, resumes a listing cut short (the first request is the ByNextToken one).
        A NextToken that repeats one of this listing's (the resumed one included) would loop for
        ever: it stops with MalformedResponse before its page is yielded, naming the page, never the token.
        """
        op = lookup(operation)
        seen: set[bytes] = set()  # digests, not tokens: up to 64 KB each

        def fresh(token: str, page: int) -> None:
            digest = hashlib.sha256(token.encode()).digest()
            if digest in seen:
                raise MalformedResponse(f"{op.name} answered page {page} with a NextToken it had already "
                                        "given in this listing; paging stopped", retriable=False)
            seen.add(digest)

        if next_token:
            if not op.next_token_operation:
                raise ValueError(f"{op.name} has no NextToken follow-up")
            fresh(next_token, 0)
            op = lookup(op.next_token_operation, op.section)
            result = await self.call(op.qualified_name, {"NextToken": next_token})
        else:
            result = await self.call(op.qualified_name, params)
        pages = 1
        while True:
            if result.next_token and op.next_token_operation:
                fresh(result.next_token, pages)
            yield result
            if not (result.next_token and op.next_token_operation):
                return
            op = lookup(op.next_token_operation, op.section)
            result = await self.call(op.qualified_name, {"NextToken": result.next_token})
            pages += 1

    # -- one attempt ----------------------------------------------------------------------------
    def _build(self, op: Operation, params: Mapping[str, Any] | None, body: bytes | None,
               content_type: str | None) -> httpx.Request:
        wire = {"Action": op.name, "Version": op.version}
        wire.update({k: _param(v) for k, v in (params or {}).items() if v is not None})
        pairs = "&".join(f"{encode(k)}={encode(v)}" for k, v in wire.items())
        url = httpx.URL(url_for(self.endpoint, op.path))
        if reaches_network(self.http, url) and not endpoint_allowed(
                str(url), self.settings, sandbox_mounted=False, amazon_hosts=MWS_HOSTS):
            # Defense in depth behind the pre-run check: no request is built, the value is not echoed.
            raise EndpointNotAllowed(f"{op.name} not sent: the endpoint is not one of Amazon's https MWS "
                                     "endpoints, the mounted sandbox or an ENDPOINT_ALLOWLIST origin")
        headers = {"User-Agent": USER_AGENT}
        if op.body_in_query or body is not None:
            # SubmitFeed: parameters (signed) in the query, the feed bytes as they are in the body.
            headers["Content-Type"] = content_type or "text/xml"
            return self.http.build_request("POST", url.copy_with(query=pairs.encode("ascii")),
                                           content=body or b"", headers=headers)
        headers["Content-Type"] = FORM_CONTENT_TYPE
        return self.http.build_request("POST", url, content=pairs.encode("ascii"), headers=headers)

    async def _attempt(self, op: Operation, params: Mapping[str, Any] | None, body: bytes | None,
                       content_type: str | None, attempt: int, sink: Spool | None = None) -> MWSResult:
        try:
            request = self._build(op, params, body, content_type)
        except EndpointNotAllowed as refused:
            self._log(op, None, None, attempt, refused.code)
            raise
        limit = (MAX_SPOOL_BYTES if sink is not None else MAX_RAW_BYTES) if op.raw else MAX_XML_BYTES
        budget, deadline_nearer = self._budget(op)
        try:
            response, raw = await fetch(self.http, request, auth=self.auth, limit=limit, budget=budget,
                                        sink=sink if op.raw else None)
        except TimeoutError:
            # The whole attempt ran out of time (a trickled body, a server that never answers).
            late = self._late(op, budget, deadline_nearer)
            self._log(op, None, None, attempt, late.code)
            raise late from None
        except MWSError as refused:
            self._log(op, None, None, attempt, refused.code)
            raise
        except httpx.TimeoutException as exc:
            # Our own words: httpx's text includes the URL, and the URL may carry the MWSAuthToken.
            self._log(op, None, None, attempt, "Timeout")
            timeout = Timeout(f"MWS did not answer {op.name} in time ({type(exc).__name__})")
            timeout.request_sent = not isinstance(exc, httpx.ConnectTimeout)
            raise timeout from None
        except httpx.TransportError as exc:
            self._log(op, None, None, attempt, "TransportError")
            lost = TransportError(f"the connection to MWS failed during {op.name} ({type(exc).__name__})")
            lost.request_sent = not isinstance(exc, httpx.ConnectError)
            raise lost from None
        request_id = response.headers.get("x-mws-request-id")
        status = response.status_code
        # Hourly groups: Amazon's x-mws-quota-* count what every process on the account has spent.
        # A call that failed authentication proves nothing about the account: it teaches no bucket.
        if status not in (401, 403):
            await self.pacer.aobserve(self.bucket, op.throttle_group, response.headers)
        if not 200 <= status < 300:
            err = self._error(op, status, response.headers, raw)
            self._log(op, status, err.request_id, attempt, err.code)
            raise err
        self._log(op, status, request_id, attempt, None)
        if op.raw:
            expected = response.headers.get("Content-MD5")
            matches = (sink.content_md5() == expected.strip()) if sink is not None and expected else (
                not expected or verify_md5(raw, expected))
            if not matches:
                # Our finding, not Amazon's error: requestId stays null (contract §3); the message keeps it.
                raise ContentMD5Mismatch(f"the {op.name} body does not match its Content-MD5 header"
                                         + _naming(request_id))
            return MWSResult(op.name, status, {}, request_id, response.headers, raw)
        try:
            data, body_request_id = parse_result(raw, op.result or "", op.shape, op.result_lists)
        except MalformedResponse as malformed:
            info = parse_error(raw)  # an ErrorResponse sent with a 2xx status
            if info is not None:
                raise self._error(op, status, response.headers, raw) from None
            malformed.message += _naming(request_id)
            raise
        return MWSResult(op.name, status, data, body_request_id or request_id, response.headers, raw,
                         _next_token(data, op.name))

    def _error(self, op: Operation, status: int, headers: httpx.Headers, raw: bytes) -> MWSError:
        info = parse_error(raw)
        if info is None and status < 500:
            # A redirect (never followed), a proxy's 404 page: not Amazon's answer, nothing to relay.
            err: MWSError = UnexpectedResponse(
                f"MWS answered HTTP {status} to {op.name} without an error document"
                + _naming(headers.get("x-mws-request-id")), status=status)
            err.headers = headers
            return err
        mask = self.credentials.mask  # an error may echo the request: MWSAuthToken=amzn.mws...
        code = mask(info.code) if info else None
        cls = getattr(mws_errors, error_class_name(code, status))
        message = (mask(info.message) if info else None) or (
            f"MWS answered HTTP {status} to {op.name}" + ("" if info else " without an error document"))
        err = cls(
            message,
            status=status,
            code=code,
            type=mask(info.type) if info and info.type is not None else None,  # an empty <Type/> stays ""
            request_id=mask((info.request_id if info else None) or headers.get("x-mws-request-id")),
        )
        err.headers = headers  # QuotaExceeded: x-mws-quota-resetsOn tells the pacer when the hour ends
        return err

    # -- waiting ----------------------------------------------------------------------------------
    async def _pace(self, op: Operation) -> None:
        key, group = self.bucket, op.throttle_group
        if self.mode != "run":
            # One request, at once: a sample (or a credentials check) answers now or errors now.
            await self.pacer.areserve(key, group)
            return
        self._check_deadline(await self.pacer.adelay(key, group), op, "pacing")
        wait = await self.pacer.areserve(key, group)
        if wait > 0:
            metrics.PACING_WAIT.labels(group).inc(wait)
        await self._sleep(wait, op, "pacing")

    def _budget(self, op: Operation) -> tuple[float, bool]:
        """Seconds one attempt may take, all of it, and whether the deadline (not MWS_HTTP_TIMEOUT) sets it."""
        budget = float(self.settings.mws_http_timeout)
        if self.deadline is None:
            return budget, False
        left = self.deadline - self.clock.time()
        if left <= 0:
            raise DeadlineExceeded(f"STEP_TIMEOUT has passed before {op.name} could be sent")
        return (left, True) if left <= budget else (budget, False)

    @staticmethod
    def _late(op: Operation, budget: float, deadline_nearer: bool) -> DeadlineExceeded | Timeout:
        if deadline_nearer and op.idempotent:
            return DeadlineExceeded(f"STEP_TIMEOUT passed while waiting for MWS to answer {op.name}")
        # SubmitFeed may have been accepted: a rebound would submit it again, so it is reported.
        return Timeout(f"MWS did not answer {op.name} within "
                       + ("STEP_TIMEOUT" if deadline_nearer else f"MWS_HTTP_TIMEOUT ({budget:g} s)"))

    def _check_deadline(self, wait: float, op: Operation, reason: str) -> None:
        check_deadline(self.clock, self.deadline, wait, op.name, reason)

    async def _sleep(self, wait: float, op: Operation, reason: str) -> None:
        await wait_before(self.clock, self.deadline, self.log, wait, op.name, reason)

    def _log(self, op: Operation, status: int | None, request_id: str | None, attempt: int,
             error: str | None) -> None:
        self.log.debug("mws call %s status=%s request_id=%s attempt=%d error=%s",
                       op.name, status, request_id, attempt, error)
        metrics.MWS_CALLS.labels(op.name, error or "ok").inc()
        if status == 503:
            metrics.MWS_THROTTLED.labels(op.name, error or "503").inc()


def _naming(request_id: str | None) -> str:
    return f" (x-mws-request-id {request_id})" if request_id else ""


def client_for(ctx: Any) -> MWSClient:
    """The client of a step execution: its cfg's credentials, mode and deadline, the shared pacer."""
    services = ctx.services
    return MWSClient(
        Credentials.from_cfg(ctx.cfg),
        http=ctx.http,
        clock=ctx.clock,
        settings=ctx.settings,
        pacer=pacer_for(services),
        mode=ctx.mode,
        deadline=ctx.deadline,
        default_endpoint=services.default_endpoint,
        log=ctx.log,
    )
