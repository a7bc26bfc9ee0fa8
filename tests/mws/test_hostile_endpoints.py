"""Hardening 5 and 6 (client half): a hostile or slow endpoint cannot exhaust time, pools, memory or
/metrics, and what it answers outside Amazon's format is a named error with the credentials masked.

Every server here is a raw asyncio server of the test's own on 127.0.0.1, stopped when the test ends.
"""
from __future__ import annotations

import asyncio
import time

import pytest

from app import metrics
from app.mws.errors import MalformedResponse, RequestError, ServerError, Timeout, UnexpectedResponse
from app.runtime.errors import DeadlineExceeded
from app.runtime.http import build_client
from app.settings import Settings

from .builders import error_body, get_order
from .hostile import (
    ALLOW_LOOPBACK, KEY_ID, SECRET, TOKEN, answer, assert_no_canary, head, mws_client,
)


def _trickle(seconds_per_byte: float = 0.2):
    async def handler(request, writer):
        body = get_order().encode()
        writer.write(head(200, {"x-mws-request-id": "rid-trickle"}, len(body)))
        for byte in body:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(seconds_per_byte)
    return handler


async def _never(request, writer):
    await asyncio.sleep(3600)


async def test_given_a_body_trickled_a_byte_at_a_time_when_the_deadline_is_nearer_then_deadline_exceeded_at_the_deadline(
        hostile, logged):
    server = await hostile(_trickle())
    client = mws_client(server.url, mode="run", settings=Settings(endpoint_allowlist=ALLOW_LOOPBACK.endpoint_allowlist,
                                                                  mws_http_timeout=60))
    client.deadline = client.clock.time() + 1.0
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded) as info:
        await client.call("GetOrder", {"AmazonOrderId.Id.1": "902-3159896-1390916"})
    assert 0.9 <= time.monotonic() - started < 3
    assert info.value.rebounds and len(server.requests) == 1
    assert_no_canary(info.value.as_error(), logged())


async def test_given_a_body_trickled_a_byte_at_a_time_when_the_http_timeout_is_nearer_then_timeout_within_it(hostile, logged):
    server = await hostile(_trickle())
    settings = Settings(endpoint_allowlist=ALLOW_LOOPBACK.endpoint_allowlist, mws_http_timeout=1.0)
    client = mws_client(server.url, settings=settings, deadline=None)
    client.deadline = client.clock.time() + 600
    started = time.monotonic()
    with pytest.raises(Timeout) as info:
        await client.call("GetOrder", {})
    assert 0.9 <= time.monotonic() - started < 3
    assert info.value.as_error()["code"] == "Timeout" and info.value.retriable
    assert_no_canary(info.value.as_error(), logged())


async def test_given_a_server_that_never_answers_when_the_deadline_comes_then_the_call_ends_at_the_deadline_not_the_http_timeout(
        hostile, logged):
    server = await hostile(_never)
    client = mws_client(server.url, mode="run", settings=Settings(endpoint_allowlist=ALLOW_LOOPBACK.endpoint_allowlist))
    client.deadline = client.clock.time() + 0.5
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        await client.call("ListMarketplaceParticipations", {})
    assert time.monotonic() - started < 2
    assert_no_canary(logged())


async def test_given_a_deadline_already_passed_when_calling_then_deadline_exceeded_and_nothing_sent(hostile):
    server = await hostile(_never)
    client = mws_client(server.url)
    client.deadline = client.clock.time() - 1
    with pytest.raises(DeadlineExceeded):
        await client.call("ListMarketplaceParticipations", {})
    assert server.connections == 0


async def test_given_a_hundred_slow_executions_on_one_host_when_another_tenant_calls_its_host_then_it_is_answered_at_once(
        hostile, logged):
    slow = await hostile(_never)

    async def fast(request, writer):
        answer(writer, 200, get_order())

    quick = await hostile(fast)
    async with build_client(timeout=30) as http:  # the service's one client: a pool per host
        stuck = [asyncio.create_task(mws_client(slow.url, http=http, deadline=None).call("GetOrder", {}))
                 for _ in range(100)]
        await asyncio.sleep(0.5)
        started = time.monotonic()
        result = await mws_client(quick.url, http=http).call("GetOrder", {})
        elapsed = time.monotonic() - started
        for task in stuck:
            task.cancel()
        await asyncio.gather(*stuck, return_exceptions=True)
    assert result.data["orders"][0]["amazonOrderId"] == "902-3159896-1390916"
    assert elapsed < 1.0
    assert 0 < slow.connections <= 50  # the slow host's own pool limit, not the process's
    assert_no_canary(logged())


@pytest.mark.parametrize("declared", [True, False])
async def test_given_a_huge_body_when_reading_then_malformed_response_after_at_most_the_limit(hostile, declared):
    sent = {"bytes": 0}

    async def huge(request, writer):
        chunk = b"<a>" + b"x" * 65_536
        writer.write(head(200, {} if declared else {"Transfer-Encoding": "chunked"},
                          10 * 1024**3 if declared else None))
        for _ in range(2_000):  # up to 128 MB, stopped when the client hangs up
            writer.write(chunk if declared else f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent["bytes"] += len(chunk)
            await writer.drain()

    server = await hostile(huge)
    with pytest.raises(MalformedResponse) as info:
        await mws_client(server.url).call("GetOrder", {})
    assert "limit" in info.value.message and info.value.retriable is False
    assert sent["bytes"] < 64 * 1024 * 1024


async def test_given_an_endpoint_inventing_an_error_code_per_answer_when_called_then_metrics_series_stay_bounded(hostile):
    count = {"n": 0}

    async def inventive(request, writer):
        count["n"] += 1
        answer(writer, 400, error_body(f"Invented{count['n']}Code", "nope"))

    server = await hostile(inventive)
    before, _ = metrics.exposition()
    client = mws_client(server.url)
    for _ in range(100):
        with pytest.raises(RequestError):
            await client.call("GetOrder", {})
    after, _ = metrics.exposition()
    assert b"Invented" not in after
    assert b'mws_calls_total{operation="GetOrder",outcome="other"}' in after
    assert len(after) - len(before) < 2_000


def test_given_label_values_outside_the_model_then_they_count_as_other():
    metrics.MWS_CALLS.labels("NotAnOperation", "ok").inc()
    metrics.PACING_WAIT.labels("NotAGroup").inc(0)
    metrics.FEED_STATUS_CHECKS.labels("_HOSTILE_STATUS_").inc()
    text, _ = metrics.exposition()
    assert b"NotAnOperation" not in text and b"NotAGroup" not in text and b"_HOSTILE_STATUS_" not in text
    assert b'feed_status_checks_total{status="other"}' in text


@pytest.mark.parametrize("status", [302, 400, 404, 418])
async def test_given_a_non_2xx_without_an_error_document_then_unexpected_response_with_the_status_not_retried(
        hostile, logged, status):
    async def proxy(request, writer):
        answer(writer, status, "<html><body>Not Found</body></html>", {"x-mws-request-id": "rid-proxy"})

    server = await hostile(proxy)
    with pytest.raises(UnexpectedResponse) as info:
        await mws_client(server.url, mode="run").call("GetOrder", {})
    assert len(server.requests) == 1
    error = info.value.as_error()
    assert error["code"] == "UnexpectedResponse" and f"HTTP {status}" in error["message"]
    assert error["requestId"] is None and error["retriable"] is False
    assert_no_canary(error, logged())


async def test_given_a_5xx_without_an_error_document_then_it_stays_a_retriable_server_error(hostile):
    async def gateway(request, writer):
        answer(writer, 502, "<html>bad gateway</html>")

    server = await hostile(gateway)
    with pytest.raises(ServerError) as info:
        await mws_client(server.url).call("GetOrder", {})
    assert info.value.retriable


@pytest.mark.parametrize("status, code", [(400, "InvalidParameterValue"), (403, "SignatureDoesNotMatch"),
                                          (503, "RequestThrottled")])
async def test_given_an_amazon_error_that_echoes_the_request_then_every_credential_value_is_masked(
        hostile, logged, status, code):
    async def echo(request, writer):
        body = request.body.decode()  # the form as sent: MWSAuthToken=amzn.mws...&AWSAccessKeyId=...
        message = (f"Invalid query string provided - {body} MWSAuthToken={TOKEN} key {KEY_ID} "
                   f"secret {SECRET}").replace("&", "&amp;")
        answer(writer, status, error_body(code, message, request_id=f"rid-{TOKEN}"))

    server = await hostile(echo)
    with pytest.raises(Exception) as info:
        await mws_client(server.url).call("GetOrder", {})
    error = info.value.as_error()
    assert error["code"] == code and "MWSAuthToken=***" in error["message"] and "AWSAccessKeyId=***" in error["message"]
    assert_no_canary(error, info.value.message, logged())


async def test_given_a_submit_feed_cut_by_the_deadline_when_it_may_have_been_accepted_then_timeout_not_a_rebound(
        hostile, logged):
    server = await hostile(_never)
    client = mws_client(server.url, mode="run", settings=Settings(endpoint_allowlist=ALLOW_LOOPBACK.endpoint_allowlist))
    client.deadline = client.clock.time() + 0.5
    with pytest.raises(Timeout) as info:
        await client.call("SubmitFeed", {"FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_"}, body=b"<a/>")
    assert "STEP_TIMEOUT" in info.value.message and not info.value.rebounds and len(server.requests) == 1
    assert_no_canary(info.value.as_error(), logged())
