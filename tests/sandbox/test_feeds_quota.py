"""Feeds throttling: the burst buckets of contract §6 and Amazon's hourly quotas, with x-mws-quota-* headers."""
from __future__ import annotations

import re

import pytest

from .feeds_helpers import INVENTORY, US, envelope, inventory
from .helpers import FEEDS, error_code, text, xml

BODY = envelope(INVENTORY, inventory("SBX-ANY-001"))


@pytest.mark.parametrize("action,extra,hourly", [
    ("GetFeedSubmissionList", {}, "80.0"),
    ("GetFeedSubmissionListByNextToken", {}, "1800.0"),
    ("GetFeedSubmissionCount", {}, "80.0"),
    ("CancelFeedSubmissions", {}, "80.0"),
    ("GetFeedSubmissionResult", {"FeedSubmissionId": "12345678901"}, "60.0"),
])
async def test_given_a_feeds_call_then_quota_headers_show_the_hourly_quota_even_on_400s(mws, action, extra, hourly):
    response = await mws.call(FEEDS, action, extra)
    assert response.headers["x-mws-quota-max"] == hourly
    assert response.headers["x-mws-quota-remaining"] == f"{float(hourly) - 1:.1f}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", response.headers["x-mws-quota-resetsOn"])


async def test_given_submit_feed_then_its_headers_show_30_per_hour(mws):
    response = await mws.submit(BODY, {"FeedType": INVENTORY, **US})
    assert (response.headers["x-mws-quota-max"], response.headers["x-mws-quota-remaining"]) == ("30.0", "29.0")


async def test_given_15_submissions_at_once_then_the_16th_is_throttled_until_two_minutes_pass(mws, clock):
    for _ in range(15):
        assert (await mws.submit(BODY, {"FeedType": INVENTORY, **US})).status_code == 200
    response = await mws.submit(BODY, {"FeedType": INVENTORY, **US})
    assert (response.status_code, error_code(response)) == (503, "RequestThrottled")
    clock.advance(120)
    assert (await mws.submit(BODY, {"FeedType": INVENTORY, **US})).status_code == 200


async def test_given_30_submissions_within_the_hour_then_503_quota_exceeded_in_amazons_form(mws, clock):
    for n in range(30):
        response = await mws.submit(BODY, {"FeedType": INVENTORY, **US})
        assert response.status_code == 200, (n, response.text)
        if n >= 14:
            clock.advance(120)
    response = await mws.submit(BODY, {"FeedType": INVENTORY, **US})
    assert (response.status_code, error_code(response)) == (503, "QuotaExceeded")
    doc = xml(response)
    assert doc.nsmap == {} and doc.findtext("Error/Type") == "" and \
        text(doc, "RequestID") == response.headers["x-mws-request-id"]
    assert re.fullmatch(r"You exceeded your quota of 30\.0 requests per 1 hour for operation "
                        r"Feeds/2009-01-01/SubmitFeed\.  Your quota will reset on "
                        r"\w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}", text(doc, "Error/Message"))
    clock.advance(3600)
    assert (await mws.submit(BODY, {"FeedType": INVENTORY, **US})).status_code == 200


async def test_given_eleven_list_calls_at_once_then_the_eleventh_is_throttled(mws):
    codes = [(await mws.call(FEEDS, "GetFeedSubmissionList")).status_code for _ in range(11)]
    assert codes == [200] * 10 + [503]


async def test_given_list_by_next_token_then_it_has_its_own_bucket(mws):
    for _ in range(10):
        await mws.call(FEEDS, "GetFeedSubmissionList")
    response = await mws.call(FEEDS, "GetFeedSubmissionListByNextToken")
    assert error_code(response) == "ValidationError"


async def test_given_the_hourly_quota_is_spent_when_quota_exceeded_is_answered_then_it_carries_the_quota_headers(
        mws, clock):
    for n in range(30):
        assert (await mws.submit(BODY, {"FeedType": INVENTORY, **US})).status_code == 200
        if n >= 14:
            clock.advance(120)
    response = await mws.submit(BODY, {"FeedType": INVENTORY, **US})
    assert (response.status_code, error_code(response)) == (503, "QuotaExceeded")
    assert (response.headers["x-mws-quota-max"], response.headers["x-mws-quota-remaining"]) == ("30.0", "0.0")
    resets = response.headers["x-mws-quota-resetsOn"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", resets)
    # the header and the message name the same moment
    from datetime import datetime, timezone
    moment = datetime.strptime(resets, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert text(xml(response), "Error/Message").endswith(
        f"{moment:%a %b %d %H:%M:%S} UTC {moment.year}")


async def test_given_a_burst_throttle_on_an_hourly_group_then_the_503_carries_the_quota_headers_too(mws):
    for _ in range(10):
        await mws.call(FEEDS, "GetFeedSubmissionList")
    response = await mws.call(FEEDS, "GetFeedSubmissionList")
    assert (response.status_code, error_code(response)) == (503, "RequestThrottled")
    assert (response.headers["x-mws-quota-max"], response.headers["x-mws-quota-remaining"]) == ("80.0", "70.0")
    assert "x-mws-quota-resetsOn" in response.headers
