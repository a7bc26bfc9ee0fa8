"""Feeds move _SUBMITTED_ → _IN_PROGRESS_ → _DONE_ on the sandbox clock, one feed per FeedType at a
time; only feeds that have not started can be cancelled; results exist only for done feeds."""
from __future__ import annotations

import pytest

from app.clock import VirtualClock
from app.sandbox import Sandbox

from .feeds_helpers import INVENTORY, PRICING, envelope, inventory, md5, result, submit_id
from .helpers import FEEDS, error_code, text, texts, xml

BODY = envelope(INVENTORY, inventory("SBX-ANY-001"))


async def status(mws, feed_id: str) -> dict[str, str | None]:
    doc = xml(await mws.call(FEEDS, "GetFeedSubmissionList", {"FeedSubmissionIdList.Id.1": feed_id}))
    info = "GetFeedSubmissionListResult/FeedSubmissionInfo/"
    return {tag: text(doc, info + tag) for tag in ("FeedProcessingStatus", "StartedProcessingDate",
                                                   "CompletedProcessingDate")}


async def test_given_a_feed_when_the_clock_advances_then_it_moves_submitted_in_progress_done(mws, clock):
    feed_id = await submit_id(mws, INVENTORY, BODY)
    assert (await status(mws, feed_id))["FeedProcessingStatus"] == "_SUBMITTED_"
    clock.advance(4)
    assert (await status(mws, feed_id))["FeedProcessingStatus"] == "_SUBMITTED_"
    clock.advance(2)
    now = await status(mws, feed_id)
    assert now["FeedProcessingStatus"] == "_IN_PROGRESS_" and now["StartedProcessingDate"].endswith("+00:00")
    assert now["CompletedProcessingDate"] is None
    clock.advance(59)
    assert (await status(mws, feed_id))["FeedProcessingStatus"] == "_DONE_"


async def test_given_two_feeds_of_one_type_then_the_second_starts_when_the_first_is_done(mws, clock):
    first = await submit_id(mws, INVENTORY, BODY)
    second = await submit_id(mws, INVENTORY, BODY)
    other = await submit_id(mws, PRICING, envelope(PRICING, "<Price>\n<SKU>X</SKU>\n</Price>"))
    clock.advance(10)
    assert [(await status(mws, f))["FeedProcessingStatus"] for f in (first, second, other)] == \
        ["_IN_PROGRESS_", "_SUBMITTED_", "_IN_PROGRESS_"]
    clock.advance(60)
    assert [(await status(mws, f))["FeedProcessingStatus"] for f in (first, second)] == ["_DONE_", "_IN_PROGRESS_"]
    done = await status(mws, first)
    assert (await status(mws, second))["StartedProcessingDate"] == done["CompletedProcessingDate"]
    clock.advance(60)
    assert (await status(mws, second))["FeedProcessingStatus"] == "_DONE_"


def test_given_no_request_when_the_state_is_read_then_feed_progress_is_computed_lazily():
    clock = VirtualClock()
    sb = Sandbox(clock=clock, wall=clock.time)
    sb.feeds.submit(feed_type=INVENTORY, seller_id="S", merchant_id="S", marketplaces=("ATVPDKIKX0DER",),
                    now_ms=sb.now_ms(), body=BODY, content_type="text/xml")
    clock.advance(64)
    assert [f["feedProcessingStatus"] for f in sb.state()["feeds"]] == ["_IN_PROGRESS_"]
    clock.advance(2)
    assert [f["feedProcessingStatus"] for f in sb.state()["feeds"]] == ["_DONE_"]


async def test_given_an_unknown_feed_id_then_400_invalid_feed_submission_id(mws):
    response = await result(mws, "12345678901")
    assert (response.status_code, error_code(response)) == (400, "InvalidFeedSubmissionId")
    assert text(xml(response), "Error/Message") == "Failed to find feed with Feed Submission ID: 12345678901"


async def test_given_a_non_numeric_feed_id_then_400_invalid_request(mws):
    response = await result(mws, "abc")
    assert (response.status_code, error_code(response)) == (400, "InvalidRequest")


@pytest.mark.parametrize("wait", [0, 30])
async def test_given_a_feed_not_done_then_400_feed_processing_result_not_ready(mws, clock, wait):
    feed_id = await submit_id(mws, INVENTORY, BODY)
    clock.advance(wait)
    response = await result(mws, feed_id)
    assert (response.status_code, error_code(response)) == (400, "FeedProcessingResultNotReady")
    assert text(xml(response), "Error/Message") == \
        f"Feed Submission Result is not ready for Feed Submission Id: {feed_id}"


async def test_given_a_done_feed_then_the_raw_report_with_content_type_and_a_correct_content_md5(mws, clock):
    feed_id = await submit_id(mws, INVENTORY, BODY)
    clock.advance(66)
    response = await result(mws, feed_id)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml;charset=UTF-8"
    assert response.headers["content-md5"] == md5(response.content)
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    doc = xml(response)
    assert doc.tag == "AmazonEnvelope" and doc.findtext("Message/ProcessingReport/DocumentTransactionID") == feed_id


async def test_given_submitted_feeds_when_cancelled_then_only_those_not_started_become_cancelled(mws, clock):
    started = await submit_id(mws, INVENTORY, BODY)
    clock.advance(6)
    waiting = await submit_id(mws, INVENTORY, BODY)
    doc = xml(await mws.call(FEEDS, "CancelFeedSubmissions",
                             {"FeedSubmissionIdList.Id.1": started, "FeedSubmissionIdList.Id.2": waiting}))
    assert text(doc, "CancelFeedSubmissionsResult/Count") == "1"
    assert texts(doc, "FeedSubmissionId") == [waiting] and texts(doc, "FeedProcessingStatus") == ["_CANCELLED_"]
    clock.advance(600)
    assert (await status(mws, started))["FeedProcessingStatus"] == "_DONE_"
    assert (await status(mws, waiting))["FeedProcessingStatus"] == "_CANCELLED_"
    response = await result(mws, waiting)
    assert (response.status_code, error_code(response)) == (400, "FeedCanceled")


async def test_given_cancel_without_ids_then_every_submitted_feed_of_the_types_is_cancelled(mws, clock):
    for _ in range(2):
        await submit_id(mws, INVENTORY, BODY)
    await submit_id(mws, PRICING, envelope(PRICING, "<Price>\n<SKU>X</SKU>\n</Price>"))
    doc = xml(await mws.call(FEEDS, "CancelFeedSubmissions", {"FeedTypeList.Type.1": INVENTORY}))
    assert text(doc, "CancelFeedSubmissionsResult/Count") == "2"
    doc = xml(await mws.call(FEEDS, "CancelFeedSubmissions"))
    assert text(doc, "CancelFeedSubmissionsResult/Count") == "1"


async def test_given_a_cancelled_feed_then_the_next_of_its_type_starts_without_waiting_for_it(mws, clock):
    first = await submit_id(mws, INVENTORY, BODY)
    await mws.call(FEEDS, "CancelFeedSubmissions", {"FeedSubmissionIdList.Id.1": first})
    second = await submit_id(mws, INVENTORY, BODY)
    clock.advance(6)
    assert (await status(mws, second))["FeedProcessingStatus"] == "_IN_PROGRESS_"
