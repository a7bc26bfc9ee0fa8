"""getFeedSubmissionStatus and getFeedSubmissionResult over the step API (step-api.md §5): where a
feed stands, its processing report once done, `rebound` while it is not, Amazon's errors otherwise."""
from __future__ import annotations

from feed_actions_helpers import calls_of, errors, execute, only_data, skus

STATUS, RESULT = "getFeedSubmissionStatus", "getFeedSubmissionResult"


async def _submitted(svc) -> str:
    """A feed submitted and left processing (STEP_TIMEOUT passes before its second check)."""
    (sku,) = skus(svc, 1)
    result = await execute(svc, "updateItem", {"messages": [{"SKU": sku, "Quantity": 4}, {"SKU": "GHOST", "Quantity": 1}]})
    assert result["outcome"] == "rebound"
    return result["snapshot"]["feedSubmissionId"]


async def _validate(svc, key: str, body: dict) -> None:
    validator = await svc.out_validator("actions", key)
    assert [e.message[:200] for e in validator.iter_errors(body)] == []


async def test_given_a_known_feed_when_its_status_is_asked_then_id_type_status_and_dates_are_emitted(make_feed_service):
    svc = await make_feed_service(step_timeout_ms=1_000)
    feed_id = await _submitted(svc)

    waiting = await execute(svc, STATUS, {"feedSubmissionId": feed_id})
    svc.clock.advance(120)
    done = await execute(svc, STATUS, {"feedSubmissionId": feed_id})

    assert waiting["outcome"] == "ok", errors(waiting)
    body = only_data(waiting)
    assert body == {"feedSubmissionId": feed_id, "feedType": "_POST_INVENTORY_AVAILABILITY_DATA_",
                    "feedProcessingStatus": "_SUBMITTED_", "submittedDate": body["submittedDate"]}
    assert body["submittedDate"].endswith("+00:00")
    finished = only_data(done)
    assert finished["feedProcessingStatus"] == "_DONE_"
    assert {"startedProcessingDate", "completedProcessingDate"} <= set(finished)
    await _validate(svc, STATUS, body)
    await _validate(svc, STATUS, finished)


async def test_given_an_unknown_feed_id_when_its_status_is_asked_then_error_invalid_feed_submission_id(make_feed_service):
    svc = await make_feed_service()

    result = await execute(svc, STATUS, {"feedSubmissionId": "12345678901"})

    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "InvalidFeedSubmissionId" and "12345678901" in error["message"]
    assert not [e for e in result["events"] if e["type"] == "data"]


async def test_given_a_feed_not_done_when_its_result_is_asked_then_rebound_not_error(make_feed_service):
    svc = await make_feed_service(step_timeout_ms=1_000)
    feed_id = await _submitted(svc)

    result = await execute(svc, RESULT, {"feedSubmissionId": feed_id})

    assert result["outcome"] == "rebound"
    assert not errors(result)
    (rebound,) = [e for e in result["events"] if e["type"] == "rebound"]
    assert rebound["retryAfterMs"] > 0 and "FeedProcessingResultNotReady" in rebound["reason"]
    assert len(calls_of(svc, "GetFeedSubmissionResult")) == 1


async def test_given_a_done_feed_when_its_result_is_asked_then_the_processing_report_is_emitted(make_feed_service):
    svc = await make_feed_service(step_timeout_ms=1_000)
    feed_id = await _submitted(svc)
    svc.clock.advance(120)

    result = await execute(svc, RESULT, {"feedSubmissionId": feed_id})

    assert result["outcome"] == "ok", errors(result)
    body = only_data(result)
    assert set(body) == {"feedSubmissionId", "processingReport"} and body["feedSubmissionId"] == feed_id
    report = body["processingReport"]
    assert (report["messagesProcessed"], report["messagesSuccessful"], report["messagesWithError"]) == (2, 1, 1)
    (error,) = report["results"]
    assert (error["messageId"], error["resultMessageCode"], error["sku"]) == (2, 13013, "GHOST")
    await _validate(svc, RESULT, body)


async def test_given_an_unknown_feed_id_when_its_result_is_asked_then_error_with_amazons_code(make_feed_service):
    svc = await make_feed_service()

    result = await execute(svc, RESULT, {"feedSubmissionId": "12345678901"})

    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "InvalidFeedSubmissionId" and error["type"] == "Sender"
    assert error["requestId"] and error["retriable"] is False


async def test_given_a_cancelled_feed_when_its_result_is_asked_then_error_with_amazons_code(make_feed_service):
    svc = await make_feed_service(step_timeout_ms=1_000)
    feed_id = await _submitted(svc)
    assert svc.sandbox.feeds.cancel(svc.sandbox.feeds.get(feed_id))

    result = await execute(svc, RESULT, {"feedSubmissionId": feed_id})

    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "FeedCanceled" and error["retriable"] is False
