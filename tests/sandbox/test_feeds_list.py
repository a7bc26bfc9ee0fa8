"""GetFeedSubmissionList (+ByNextToken) filters and paging, and GetFeedSubmissionCount."""
from __future__ import annotations

import pytest

from app.sandbox import Sandbox

from .feeds_helpers import INVENTORY, PRICING, envelope, inventory, submit_id
from .helpers import FEEDS, error_code, iso, text, texts, xml

BODY = envelope(INVENTORY, inventory("SBX-ANY-001"))


@pytest.fixture
def sandbox(clock) -> Sandbox:
    open_quotas = {g: {"max": 1000, "restorePerSecond": 1000} for g in (
        "SubmitFeed", "GetFeedSubmissionList", "GetFeedSubmissionListByNextToken", "GetFeedSubmissionCount")}
    return Sandbox(clock=clock, wall=clock.time, quotas=open_quotas)


async def submit_many(mws, clock, n: int, feed_type: str = INVENTORY) -> list[str]:
    ids = []
    for _ in range(n):
        ids.append(await submit_id(mws, feed_type, BODY))
        clock.advance(1)
    return ids


async def listing(mws, extra=None):
    return xml(await mws.call(FEEDS, "GetFeedSubmissionList", extra or {}))


async def test_given_no_feeds_then_an_empty_list_has_has_next_false_and_no_next_token(mws):
    doc = await listing(mws)
    assert text(doc, "GetFeedSubmissionListResult/HasNext") == "false"
    assert text(doc, "GetFeedSubmissionListResult/NextToken") is None and texts(doc, "FeedSubmissionInfo") == []


async def test_given_more_feeds_than_max_count_then_pages_newest_first_until_has_next_is_false(mws, clock):
    ids = await submit_many(mws, clock, 5)
    doc = await listing(mws, {"MaxCount": "2"})
    seen, result = texts(doc, "FeedSubmissionId"), "GetFeedSubmissionListResult"
    while text(doc, f"{result}/HasNext") == "true":
        token = text(doc, f"{result}/NextToken")
        doc = xml(await mws.call(FEEDS, "GetFeedSubmissionListByNextToken", {"NextToken": token}))
        seen, result = seen + texts(doc, "FeedSubmissionId"), "GetFeedSubmissionListByNextTokenResult"
    assert seen == ids[::-1] and text(doc, f"{result}/NextToken") is None


async def test_given_a_feed_submitted_between_pages_then_no_row_repeats(mws, clock):
    ids = await submit_many(mws, clock, 3)
    doc = await listing(mws, {"MaxCount": "2"})
    await submit_many(mws, clock, 1)
    token = text(doc, "GetFeedSubmissionListResult/NextToken")
    rest = xml(await mws.call(FEEDS, "GetFeedSubmissionListByNextToken", {"NextToken": token}))
    assert texts(doc, "FeedSubmissionId") + texts(rest, "FeedSubmissionId") == ids[::-1]


async def test_given_by_next_token_without_a_token_then_400_validation_error_with_amazons_message(mws):
    response = await mws.call(FEEDS, "GetFeedSubmissionListByNextToken")
    assert (response.status_code, error_code(response)) == (400, "ValidationError")
    assert text(xml(response), "Error/Message") == ("1 validation error detected: Value null at 'nextToken' "
                                                    "failed to satisfy constraint: Member must not be null")


@pytest.mark.parametrize("value", ["0", "101", "ten"])
async def test_given_a_max_count_outside_1_to_100_then_400(mws, value):
    response = await mws.call(FEEDS, "GetFeedSubmissionList", {"MaxCount": value})
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_ids_then_other_filters_are_ignored(mws, clock):
    ids = await submit_many(mws, clock, 2)
    doc = await listing(mws, {"FeedSubmissionIdList.Id.1": ids[0], "FeedTypeList.Type.1": PRICING,
                              "FeedProcessingStatusList.Status.1": "_DONE_"})
    assert texts(doc, "FeedSubmissionId") == [ids[0]]


async def test_given_type_status_and_date_filters_then_only_matching_feeds(mws, clock):
    start = clock.time()
    inv = await submit_many(mws, clock, 2)
    clock.advance(200)                 # both inventory feeds are done (one after the other)
    price = await submit_many(mws, clock, 1, PRICING)
    doc = await listing(mws, {"FeedTypeList.Type.1": INVENTORY})
    assert texts(doc, "FeedSubmissionId") == inv[::-1]
    doc = await listing(mws, {"FeedProcessingStatusList.Status.1": "_DONE_"})
    assert texts(doc, "FeedSubmissionId") == inv[::-1]
    doc = await listing(mws, {"FeedProcessingStatusList.Status.1": "_SUBMITTED_"})
    assert texts(doc, "FeedSubmissionId") == price
    doc = await listing(mws, {"SubmittedFromDate": iso(start + 150)})
    assert texts(doc, "FeedSubmissionId") == price
    doc = await listing(mws, {"SubmittedToDate": iso(start + 150)})
    assert texts(doc, "FeedSubmissionId") == inv[::-1]


async def test_given_an_unknown_status_filter_then_400(mws):
    response = await mws.call(FEEDS, "GetFeedSubmissionList", {"FeedProcessingStatusList.Status.1": "_NOPE_"})
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_feeds_then_count_applies_the_same_filters(mws, clock):
    await submit_many(mws, clock, 3)
    await submit_many(mws, clock, 2, PRICING)
    count = lambda doc: text(doc, "GetFeedSubmissionCountResult/Count")  # noqa: E731
    assert count(xml(await mws.call(FEEDS, "GetFeedSubmissionCount"))) == "5"
    assert count(xml(await mws.call(FEEDS, "GetFeedSubmissionCount", {"FeedTypeList.Type.1": PRICING}))) == "2"


async def test_given_another_sellers_feeds_then_they_are_not_listed(mws, sandbox, http, clock):
    from .helpers import Caller

    sandbox.add_seller("AKIAOTHER", "other-secret", "A2OTHERSELLER", None, ["ATVPDKIKX0DER"])
    other = Caller(http, clock, creds={"accessKeyId": "AKIAOTHER", "secretAccessKey": "other-secret",
                                       "sellerId": "A2OTHERSELLER"})
    feed_id = await submit_id(other, INVENTORY, BODY)
    assert texts(await listing(mws), "FeedSubmissionId") == []
    response = await mws.call(FEEDS, "GetFeedSubmissionResult", {"FeedSubmissionId": feed_id})
    assert error_code(response) == "InvalidFeedSubmissionId"
