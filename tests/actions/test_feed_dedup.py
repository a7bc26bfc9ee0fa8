"""A platform's retry of one message never submits its feed twice (step-api.md §1 FEED_DEDUP_WINDOW,
§2 msg.id, §5): same msg.id + same document within the window resumes the first submission; two
identical calls at once give one SubmitFeed; a lost SubmitFeed answer is never silently resent."""
from __future__ import annotations

import asyncio
from typing import Any

from feed_actions_helpers import errors, only_data, skus, submits

KEY = "updateItem"


async def _execute(svc, body: dict[str, Any], *, msg_id: str | None, snapshot=None) -> dict[str, Any]:
    msg: dict[str, Any] = {"body": body, "headers": {}}
    if msg_id is not None:
        msg["id"] = msg_id
    response = await svc.client.post(f"/actions/{KEY}/execute",
                                     json={"cfg": svc.cfg, "msg": msg, "snapshot": snapshot or {}})
    assert response.status_code == 200, response.text
    return response.json()


def _message(svc, quantity: int = 5) -> dict:
    (sku,) = skus(svc, 1)
    return {"messages": [{"SKU": sku, "Quantity": quantity}]}


async def test_given_a_rebound_whose_snapshot_the_platform_lost_when_the_same_msg_id_comes_again_then_it_resumes(
        make_feed_service):
    svc = await make_feed_service(step_timeout_ms=40_000)
    body = _message(svc)
    first = await _execute(svc, body, msg_id="msg-1")
    assert first["outcome"] == "rebound", errors(first)
    svc.clock.advance(600)

    again = await _execute(svc, body, msg_id="msg-1")  # no snapshot: the platform retried the message

    assert again["outcome"] == "ok", errors(again)
    assert len(submits(svc)) == 1
    assert only_data(again)["feedSubmissionId"] == first["snapshot"]["feedSubmissionId"]


async def test_given_a_finished_feed_when_the_platform_retries_the_message_then_the_report_comes_again_unsent(
        make_feed_service):
    svc = await make_feed_service()
    body = _message(svc)
    first = await _execute(svc, body, msg_id="msg-2")
    again = await _execute(svc, body, msg_id="msg-2")

    assert first["outcome"] == again["outcome"] == "ok"
    assert len(submits(svc)) == 1
    assert only_data(again) == only_data(first)


async def test_given_two_identical_calls_at_once_when_run_then_one_submit_feed_and_both_report_it(make_feed_service):
    svc = await make_feed_service()
    body = _message(svc)

    one, two = await asyncio.gather(_execute(svc, body, msg_id="msg-3"), _execute(svc, body, msg_id="msg-3"))

    assert len(submits(svc)) == 1
    assert one["outcome"] == two["outcome"] == "ok", (errors(one), errors(two))
    assert only_data(one)["feedSubmissionId"] == only_data(two)["feedSubmissionId"]


async def test_given_different_ids_no_id_or_other_content_when_run_then_each_is_a_new_submission(make_feed_service):
    svc = await make_feed_service()
    body = _message(svc)

    await _execute(svc, body, msg_id="a")
    await _execute(svc, body, msg_id="b")
    await _execute(svc, body, msg_id=None)
    await _execute(svc, body, msg_id=None)
    await _execute(svc, _message(svc, quantity=6), msg_id="a")

    assert len(submits(svc)) == 5


async def test_given_the_window_passed_or_turned_off_when_the_same_message_comes_then_it_is_submitted_again(
        make_feed_service):
    svc = await make_feed_service(feed_dedup_window_s=1200)
    body = _message(svc)
    await _execute(svc, body, msg_id="m")
    svc.clock.advance(1201)
    await _execute(svc, body, msg_id="m")
    assert len(submits(svc)) == 2

    off = await make_feed_service(feed_dedup_window_s=0)
    body = _message(off)
    await _execute(off, body, msg_id="m")
    await _execute(off, body, msg_id="m")
    assert len(submits(off)) == 2


async def test_given_submit_feed_cut_mid_answer_when_the_message_is_retried_then_no_second_feed_and_the_same_advice(
        make_feed_service):
    svc = await make_feed_service()
    body = _message(svc)
    svc.sandbox.faults.add("SubmitFeed", "drop", 1)

    first = await _execute(svc, body, msg_id="lost")
    again = await _execute(svc, body, msg_id="lost")

    assert len(submits(svc)) == 1
    for result in (first, again):
        assert result["outcome"] == "error" and result["snapshot"] == {}
        (error,) = errors(result)
        assert error["retriable"] is False
        assert "may have" in error["message"] and "accepted" in error["message"]


async def test_given_submit_feed_refused_when_the_message_is_retried_then_it_is_submitted_again(make_feed_service):
    svc = await make_feed_service()
    body = _message(svc)
    svc.sandbox.faults.add("SubmitFeed", "503", 1)

    result = await svc.client.post(f"/actions/{KEY}/execute", json={
        "cfg": svc.cfg, "msg": {"id": "throttled", "body": body}, "mode": "sample"})
    assert result.json()["outcome"] == "error"  # a 503: surely not accepted
    again = await _execute(svc, body, msg_id="throttled")

    assert again["outcome"] == "ok", errors(again)
    assert len(submits(svc)) == 2
