"""A feed's life around the happy path (step-api.md §5): STEP_TIMEOUT rebounds and resumes without a
second SubmitFeed, _CANCELLED_ feeds, SubmitFeed faults (never submitted twice), 503s by mode, a
processing report whose Content-MD5 does not match or that cannot be parsed, statuses Amazon holds a
feed in (_IN_SAFETY_NET_ ...), and GetFeedSubmissionList's quota."""
from __future__ import annotations

import logging

import httpx
import pytest

from app.mws.md5 import content_md5
from app.sandbox.mws.feeds import models as feeds_models
from feed_actions_helpers import (
    CorruptResult, Counting503s, calls_of, catalog, errors, execute, only_data, skus, snapshots, submits,
)

KEY = "updateItem"


def _message(svc, quantity: int = 5) -> dict:
    (sku,) = skus(svc, 1)
    return {"messages": [{"SKU": sku, "Quantity": quantity}]}


def _rebounds(result: dict) -> list[dict]:
    return [e for e in result["events"] if e["type"] == "rebound"]


async def test_given_step_timeout_shorter_than_processing_when_run_then_rebound_keeps_the_submission(
        make_feed_service):
    svc = await make_feed_service(step_timeout_ms=40_000)

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "rebound", errors(result)
    (submit,) = submits(svc)
    (feed,) = svc.sandbox.state()["feeds"]
    assert result["snapshot"] == {"feedSubmissionId": feed["feedSubmissionId"],
                                  "contentMd5": submit.params["ContentMD5Value"]}
    (rebound,) = _rebounds(result)
    assert rebound["retryAfterMs"] > 0 and rebound["reason"]
    assert not [e for e in result["events"] if e["type"] in ("data", "error")]


async def test_given_the_rebound_snapshot_and_the_same_message_when_called_again_then_it_resumes_without_submitting(
        make_feed_service):
    svc = await make_feed_service(step_timeout_ms=40_000)
    message = _message(svc, 11)
    first = await execute(svc, KEY, message)
    assert first["outcome"] == "rebound"
    svc.clock.advance(first["events"][-1]["retryAfterMs"] / 1000)  # the platform calls again later

    second = await execute(svc, KEY, message, snapshot=first["snapshot"])

    assert second["outcome"] == "ok", errors(second)
    assert len(submits(svc)) == 1
    data = only_data(second)
    assert data["feedSubmissionId"] == first["snapshot"]["feedSubmissionId"]
    assert data["processingReport"]["messagesSuccessful"] == 1
    assert second["snapshot"] == {} and snapshots(second)[-1] == {}
    assert catalog(svc)[message["messages"][0]["SKU"]]["quantity"] == 11


async def test_given_the_rebound_snapshot_and_a_different_message_when_called_then_it_is_a_new_submission(
        make_feed_service):
    svc = await make_feed_service(step_timeout_ms=40_000)
    first = await execute(svc, KEY, _message(svc, 1))
    assert first["outcome"] == "rebound"

    second = await execute(svc, KEY, _message(svc, 2), snapshot=first["snapshot"])

    assert len(submits(svc)) == 2
    assert second["snapshot"].get("feedSubmissionId") != first["snapshot"]["feedSubmissionId"]
    assert second["snapshot"]["contentMd5"] == submits(svc)[1].params["ContentMD5Value"]


async def test_given_a_feed_cancelled_while_waiting_when_resumed_then_error_feed_cancelled_and_empty_snapshot(
        make_feed_service):
    svc = await make_feed_service(step_timeout_ms=1_000)
    message = _message(svc)
    first = await execute(svc, KEY, message)
    assert first["outcome"] == "rebound"
    feed = svc.sandbox.feeds.get(first["snapshot"]["feedSubmissionId"])
    assert svc.sandbox.feeds.cancel(feed)  # not started yet: Amazon lets it be cancelled

    second = await execute(svc, KEY, message, snapshot=first["snapshot"])

    assert second["outcome"] == "error"
    (error,) = errors(second)
    assert error["code"] == "FeedCancelled" and error["requestId"] is None and error["message"]
    assert second["snapshot"] == {}
    assert len(submits(svc)) == 1 and calls_of(svc, "GetFeedSubmissionResult") == []


async def test_given_submit_feed_answers_500_when_run_then_error_and_the_feed_is_not_submitted_again(
        make_feed_service):
    svc = await make_feed_service()
    svc.sandbox.faults.add("SubmitFeed", "500", 1)

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "InternalError" and error["requestId"]
    assert len(submits(svc)) == 1
    assert result["snapshot"] == {}


async def test_given_submit_feed_throttled_in_run_mode_when_run_then_it_waits_retries_and_finishes(
        make_feed_service):
    svc = await make_feed_service(throttle_retry_delay_ms=30_000)
    svc.sandbox.faults.add("SubmitFeed", "503", 1)

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "ok", errors(result)
    first, second = submits(svc)
    assert second.at - first.at >= 30
    assert len(svc.sandbox.state()["feeds"]) == 1
    assert only_data(result)["feedProcessingStatus"] == "_DONE_"


async def test_given_submit_feed_throttled_in_sample_mode_when_run_then_error_request_throttled_at_once(
        make_feed_service):
    svc = await make_feed_service()
    svc.sandbox.faults.add("SubmitFeed", "503", 1)

    result = await execute(svc, KEY, _message(svc), mode="sample")

    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "RequestThrottled" and error["retriable"] is True
    assert len(submits(svc)) == 1 and result["snapshot"] == {}


async def test_given_a_report_whose_content_md5_never_matches_when_fetched_then_3_retries_and_error(
        make_feed_service):
    corrupting: list[CorruptResult] = []
    svc = await make_feed_service(wrap=lambda inner: corrupting.append(CorruptResult(inner, 100)) or corrupting[-1])

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "ContentMD5Mismatch" and error["message"]
    assert len(calls_of(svc, "GetFeedSubmissionResult")) == 4   # the first try and 3 retries
    assert len(submits(svc)) == 1
    # Amazon holds the feed: the snapshot keeps it (contract §5), so a retry resumes, never resubmits.
    assert set(result["snapshot"]) == {"feedSubmissionId", "contentMd5"}


async def test_given_a_report_corrupted_twice_when_fetched_then_the_third_try_gives_the_report(make_feed_service):
    svc = await make_feed_service(wrap=lambda inner: CorruptResult(inner, 2))

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "ok", errors(result)
    assert len(calls_of(svc, "GetFeedSubmissionResult")) == 3
    assert only_data(result)["processingReport"]["messagesSuccessful"] == 1




async def test_given_a_short_check_delay_when_waiting_then_pacing_stretches_the_checks_and_no_503_is_met(
        make_feed_service):
    counters: list[Counting503s] = []
    svc = await make_feed_service(response_check_delay_ms=1_000,
                                  wrap=lambda inner: counters.append(Counting503s(inner)) or counters[-1])

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "ok", errors(result)
    checks = calls_of(svc, "GetFeedSubmissionList")
    gaps = [b.at - a.at for a, b in zip(checks, checks[1:])]
    assert gaps[:9] == [1.0] * 9                     # the burst of 10, RESPONSE_CHECK_DELAY apart
    assert checks[10].at - checks[0].at >= 44.9      # then the bucket's restore rate: 1 every 45 s
    assert all(gap >= 44.9 for gap in gaps[10:])
    assert sum(c.count for c in counters) == 0


async def test_given_a_feed_that_takes_two_hours_when_checked_every_second_then_the_hourly_quota_is_never_exceeded(
        make_feed_service, monkeypatch):
    monkeypatch.setattr(feeds_models, "PROCESSING_MS", 2 * 3_600_000)
    counters: list[Counting503s] = []
    svc = await make_feed_service(response_check_delay_ms=1_000, step_timeout_ms=3 * 3_600_000,
                                  wrap=lambda inner: counters.append(Counting503s(inner)) or counters[-1])

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "ok", errors(result)
    times = [c.at for c in calls_of(svc, "GetFeedSubmissionList")]
    assert max(sum(1 for t in times if start <= t < start + 3600) for start in times) <= 80
    assert sum(c.count for c in counters) == 0


async def test_given_submit_feed_cut_mid_answer_when_run_then_error_and_no_second_submission(make_feed_service):
    svc = await make_feed_service()
    svc.sandbox.faults.add("SubmitFeed", "drop", 1)

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "TransportError" and error["requestId"] is None
    assert len(submits(svc)) == 1 and result["snapshot"] == {}


async def test_given_status_checks_failing_past_the_retries_when_waiting_then_rebound_keeps_the_feed_and_resumes(
        make_feed_service):
    svc = await make_feed_service()
    message = _message(svc, 9)
    svc.sandbox.faults.add("GetFeedSubmissionList", "500", 5)   # the first try and the client's 4 retries

    first = await execute(svc, KEY, message)

    assert first["outcome"] == "rebound", errors(first)
    assert set(first["snapshot"]) == {"feedSubmissionId", "contentMd5"}
    assert len(calls_of(svc, "GetFeedSubmissionList")) == 5
    second = await execute(svc, KEY, message, snapshot=first["snapshot"])
    assert second["outcome"] == "ok", errors(second)
    assert len(submits(svc)) == 1 and second["snapshot"] == {}
    assert catalog(svc)[message["messages"][0]["SKU"]]["quantity"] == 9


class _Rewrite(httpx.AsyncBaseTransport):
    """Rewrites the 200 answers of one MWS operation with `edit(body) -> body`, Content-MD5 recomputed
    when the answer carries one (so only what comes after the MD5 check sees the change)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, action: str, edit) -> None:
        self.inner, self.action, self.edit, self.rewritten = inner, action, edit, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        form = (await request.aread()).decode(errors="replace")
        if httpx.QueryParams(form).get("Action") != self.action or response.status_code != 200:
            return response
        body = self.edit(await response.aread())
        self.rewritten += 1
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-md5")}
        if "content-md5" in response.headers:
            headers["Content-MD5"] = content_md5(body)
        return httpx.Response(response.status_code, headers=headers, content=body)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("garbage", [b"\x00\x81 not a report at all", b"<AmazonEnvelope><Message>",
                                     b"<AmazonEnvelope><Message/></AmazonEnvelope>"])
async def test_given_a_report_that_matches_its_content_md5_but_cannot_be_parsed_when_fetched_then_error_not_rebound(
        make_feed_service, garbage):
    rewriters: list[_Rewrite] = []
    svc = await make_feed_service(wrap=lambda inner: rewriters.append(
        _Rewrite(inner, "GetFeedSubmissionResult", lambda _body: garbage)) or rewriters[-1])

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "error", result["events"]
    assert _rebounds(result) == []
    (error,) = errors(result)
    assert error["code"] == "MalformedResponse" and error["retriable"] is False and error["message"]
    assert result["snapshot"] == {} and snapshots(result)[-1] == {}
    assert len(calls_of(svc, "GetFeedSubmissionResult")) == 1   # the MD5 matched: no client retry
    assert rewriters[-1].rewritten == 1 and len(submits(svc)) == 1


@pytest.mark.parametrize("status, meaning", [
    ("_IN_SAFETY_NET_", "Seller Support contacts the seller"),
    ("_AWAITING_ASYNCHRONOUS_REPLY_", "external information"),
    ("_UNCONFIRMED_", "pending"),
])
async def test_given_amazon_holds_the_feed_in_a_review_status_when_step_timeout_passes_then_the_rebound_names_it(
        make_feed_service, caplog, status, meaning):
    caplog.set_level(logging.INFO)

    def hold(body: bytes) -> bytes:
        for waiting in (b"_SUBMITTED_", b"_IN_PROGRESS_", b"_DONE_"):
            body = body.replace(waiting, status.encode())
        return body

    svc = await make_feed_service(step_timeout_ms=40_000, wrap=lambda inner: _Rewrite(inner, "GetFeedSubmissionList", hold))

    result = await execute(svc, KEY, _message(svc))

    assert result["outcome"] == "rebound", errors(result)
    feed_id = result["snapshot"]["feedSubmissionId"]
    (rebound,) = _rebounds(result)
    assert f"feed {feed_id} is {status} (" in rebound["reason"] and meaning in rebound["reason"]
    assert rebound["reason"].endswith("call again with the snapshot to resume")
    assert any(status in r.getMessage() and "rebound" in r.getMessage() and r.levelno == logging.WARNING
               for r in caplog.records)
    assert len(calls_of(svc, "GetFeedSubmissionList")) > 1   # it polled through the status first


async def test_given_an_ordinary_in_progress_feed_when_step_timeout_passes_then_the_rebound_names_the_status(
        make_feed_service):
    svc = await make_feed_service(step_timeout_ms=40_000)

    result = await execute(svc, KEY, _message(svc))

    (rebound,) = _rebounds(result)
    feed_id = result["snapshot"]["feedSubmissionId"]
    assert rebound["reason"].startswith("DeadlineExceeded: feed " + feed_id + " is _")
