"""Pacing: token buckets per (seller, throttle group) on an injected clock."""
from __future__ import annotations

import pytest

from app.clock import VirtualClock
from app.mws.operations import operation, operations, throttle_groups
from app.pacing.buckets import PACING_PAD_SECONDS as PAD
from app.pacing.buckets import Quota

ITEMS_PAD = Quota(30, 0.5).pad  # ListOrderItems restores a token every 2 s: its pad is 4 % of that
from app.pacing.pacer import Pacer
from app.settings import Settings

CONTRACT_GROUPS = {
    "ListOrders", "GetOrder", "ListOrderItems", "ListMarketplaceParticipations", "GetServiceStatus", "SubmitFeed",
    "GetFeedSubmissionList", "GetFeedSubmissionListByNextToken", "GetFeedSubmissionCount",
    "CancelFeedSubmissions", "GetFeedSubmissionResult",
    # Reports (reports.md §1): one group per operation, the ByNextToken ones their own
    "RequestReport", "GetReportRequestList", "GetReportRequestListByNextToken", "GetReportRequestCount",
    "CancelReportRequests", "GetReportList", "GetReportListByNextToken", "GetReportCount", "GetReport",
}


def test_given_the_model_then_the_throttle_groups_are_the_contracts_with_the_documented_quotas():
    groups = throttle_groups()
    assert set(groups) == CONTRACT_GROUPS
    assert {op.throttle_group for op in operations()} == CONTRACT_GROUPS
    assert groups["ListOrders"]["max"] == 6 and 1 / groups["ListOrders"]["restorePerSecond"] == pytest.approx(60)
    assert groups["ListOrderItems"] == {"max": 30, "restorePerSecond": 0.5}
    assert groups["SubmitFeed"]["hourly"] == 30 and 1 / groups["SubmitFeed"]["restorePerSecond"] == pytest.approx(120)
    assert groups["GetFeedSubmissionList"]["hourly"] == 80
    assert 1 / groups["GetServiceStatus"]["restorePerSecond"] == pytest.approx(300)


@pytest.mark.parametrize("name, group", [("ListOrdersByNextToken", "ListOrders"),
                                         ("ListOrderItemsByNextToken", "ListOrderItems"),
                                         ("ListMarketplaceParticipationsByNextToken", "ListMarketplaceParticipations"),
                                         ("GetFeedSubmissionListByNextToken", "GetFeedSubmissionListByNextToken")])
def test_given_a_by_next_token_operation_then_it_shares_its_operations_group_unless_listed(name, group):
    assert operation(name).throttle_group == group


def test_given_a_full_bucket_when_the_burst_is_used_then_the_next_waits_one_padded_restore_period(
        clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    assert [pacer.reserve("S", "GetOrder") for _ in range(6)] == [0.0] * 6
    # A token comes back after 60 s + the pad; every pacing wait gets the pad once more.
    assert pacer.reserve("S", "GetOrder") == pytest.approx(60 + PAD + PAD)
    assert pacer.reserve("S", "GetOrder") == pytest.approx(2 * (60 + PAD) + PAD)  # queued behind the previous one


def test_given_time_passes_when_reserving_then_tokens_have_come_back(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    for _ in range(30):
        pacer.reserve("S", "ListOrderItems")
    clock.advance(2 * (2 + ITEMS_PAD))
    assert pacer.reserve("S", "ListOrderItems") == 0.0
    assert pacer.reserve("S", "ListOrderItems") == 0.0
    assert pacer.reserve("S", "ListOrderItems") == pytest.approx(2 + ITEMS_PAD + PAD)


def test_given_two_sellers_then_their_buckets_are_separate(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    for _ in range(6):
        pacer.reserve("S1", "ListOrders")
    assert pacer.delay("S1", "ListOrders") == pytest.approx(60 + 2 * PAD)
    assert pacer.delay("S2", "ListOrders") == 0.0


def test_given_an_hourly_quota_when_it_is_used_then_the_next_request_waits_for_the_hour(clock: VirtualClock):
    pacer = Pacer(clock, Settings(mws_quotas={"SubmitFeed": {"max": 100, "restorePerSecond": 100, "hourly": 3}}))
    assert [pacer.reserve("S", "SubmitFeed") for _ in range(3)] == [0.0] * 3
    assert pacer.reserve("S", "SubmitFeed") == pytest.approx(3600)


def test_given_mws_quotas_when_building_then_the_group_is_overridden(clock: VirtualClock):
    pacer = Pacer(clock, Settings(mws_quotas={"ListOrders": {"max": 1, "restorePerSecond": 0.1}}))
    assert pacer.reserve("S", "ListOrders") == 0.0
    assert pacer.reserve("S", "ListOrders") == pytest.approx(10 + 2 * PAD)
    assert pacer.quota("GetOrder").max == 6


def test_given_pacing_off_then_it_never_waits(clock: VirtualClock):
    pacer = Pacer(clock, Settings(mws_pacing=False))
    assert [pacer.reserve("S", "GetServiceStatus") for _ in range(10)] == [0.0] * 10
    assert pacer.delay("S", "GetServiceStatus") == 0.0


def test_given_a_503_when_reported_then_the_bucket_is_emptied(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    pacer.reserve("S", "ListOrderItems")
    pacer.throttled("S", "ListOrderItems", "RequestThrottled")
    assert pacer.delay("S", "ListOrderItems") == pytest.approx(2 + ITEMS_PAD + PAD)


def test_given_quota_exceeded_with_a_reset_time_then_requests_wait_until_it(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    reset = clock.time() + 600
    from datetime import datetime, timezone
    stamp = datetime.fromtimestamp(reset, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    pacer.throttled("S", "SubmitFeed", "QuotaExceeded", {"x-mws-quota-resetsOn": stamp})
    assert pacer.delay("S", "SubmitFeed") == pytest.approx(600, abs=1)


def test_given_an_unknown_group_then_nothing_is_paced(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    assert pacer.reserve("S", "NoSuchGroup") == 0.0


# -- the safety pad -----------------------------------------------------------------------------------

def test_given_a_paced_sequence_then_the_pad_is_never_credited_back_and_the_margin_grows(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    sent = []
    for _ in range(10):
        clock.advance(pacer.reserve("S", "ListOrders"))
        sent.append(clock.time())
    start = sent[0]
    # Amazon's own schedule allows request k (after the burst of 6) at (k - 5) minutes; ours is later
    # by one pad per restore interval plus one pad per wait.
    for k in range(6, 10):
        assert sent[k] - start == pytest.approx((k - 5) * (60 + PAD) + PAD)
        assert sent[k] - start - (k - 5) * 60 >= (k - 4) * PAD - 1e-9


# -- hourly quotas: Amazon's count and reset time -----------------------------------------------------

def _stamp(epoch: float, form: str) -> str:
    from datetime import datetime, timezone

    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    if form == "iso":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if form == "rfc1123":
        from email.utils import format_datetime
        return format_datetime(moment, usegmt=True)
    return f"{moment:%a %b %d %H:%M:%S} UTC {moment.year}"  # Amazon's QuotaExceeded message


def test_given_quota_exceeded_without_headers_then_the_reset_in_amazons_message_blocks_the_group(clock):
    pacer = Pacer(clock, Settings())
    reset = int(clock.time()) + 900
    message = ("You exceeded your quota of 30.0 requests per 1 hour for operation Feeds/2009-01-01/SubmitFeed.  "
               f"Your quota will reset on {_stamp(reset, 'message')}")
    pacer.throttled("S", "SubmitFeed", "QuotaExceeded", {}, message)
    assert pacer.delay("S", "SubmitFeed") == pytest.approx(reset - clock.time())


def test_given_amazons_documented_message_then_its_reset_time_is_read():
    from datetime import datetime, timezone

    from app.pacing.buckets import reset_time_in_message

    message = ("You exceeded your quota of 30.0 requests per 1 hour for operation Feeds/2009-01-01/SubmitFeed.  "
               "Your quota will reset on Thu Oct 24 00:42:00 UTC 2013")
    assert reset_time_in_message(message) == datetime(2013, 10, 24, 0, 42, tzinfo=timezone.utc).timestamp()
    assert reset_time_in_message("Request is throttled") is None
    assert reset_time_in_message(None) is None


@pytest.mark.parametrize("remaining, form", [("0.0", "iso"), ("0", "rfc1123")])
def test_given_quota_headers_saying_none_remain_then_the_group_waits_for_the_reset(clock, remaining, form):
    pacer = Pacer(clock, Settings())
    reset = int(clock.time()) + 1200
    pacer.observe("S", "GetFeedSubmissionList", {"x-mws-quota-max": "80.0", "x-mws-quota-remaining": remaining,
                                                 "x-mws-quota-resetsOn": _stamp(reset, form)})
    assert pacer.delay("S", "GetFeedSubmissionList") == pytest.approx(reset - clock.time())


@pytest.mark.parametrize("remaining, form", [("2.0", "iso"), ("2", "rfc1123")])
def test_given_quota_headers_with_some_left_then_that_many_go_at_once_and_the_next_waits_for_the_reset(
        clock, remaining, form):
    pacer = Pacer(clock, Settings())
    reset = int(clock.time()) + 1200
    pacer.observe("S", "GetFeedSubmissionList", {"X-MWS-Quota-Remaining": remaining,
                                                 "x-mws-quota-resetson": _stamp(reset, form)})
    assert [pacer.reserve("S", "GetFeedSubmissionList") for _ in range(2)] == [0.0, 0.0]
    assert pacer.reserve("S", "GetFeedSubmissionList") == pytest.approx(reset - clock.time())


def test_given_a_reset_time_that_has_passed_then_amazons_count_no_longer_holds(clock):
    pacer = Pacer(clock, Settings())
    reset = int(clock.time()) + 60
    pacer.observe("S", "SubmitFeed", {"x-mws-quota-remaining": "0.0", "x-mws-quota-resetsOn": _stamp(reset, "iso")})
    clock.advance(61)
    assert pacer.delay("S", "SubmitFeed") == 0.0
    pacer.observe("S", "SubmitFeed", {"x-mws-quota-remaining": "0.0",
                                      "x-mws-quota-resetsOn": _stamp(clock.time() - 5, "iso")})
    assert pacer.delay("S", "SubmitFeed") == 0.0


def test_given_quota_headers_on_a_group_without_an_hourly_quota_or_no_headers_then_nothing_changes(clock):
    pacer = Pacer(clock, Settings())
    reset = _stamp(int(clock.time()) + 600, "iso")
    pacer.observe("S", "GetOrder", {"x-mws-quota-remaining": "0.0", "x-mws-quota-resetsOn": reset})
    pacer.observe("S", "SubmitFeed", {})
    pacer.observe("S", "SubmitFeed", {"x-mws-quota-remaining": "0.0"})  # no reset time: nothing to wait for
    pacer.observe("S", "SubmitFeed", {"x-mws-quota-remaining": "lots", "x-mws-quota-resetsOn": "soon"})
    assert pacer.delay("S", "GetOrder") == 0.0 and pacer.delay("S", "SubmitFeed") == 0.0


@pytest.mark.parametrize("restore_per_second, pad", [(1 / 60, PAD), (1 / 45, PAD), (0.5, 0.08), (2.0, 0.02)])
def test_given_a_quota_then_the_pad_per_interval_is_a_quarter_second_or_4_percent_of_short_intervals(
        restore_per_second, pad):
    assert Quota(10, restore_per_second).pad == pytest.approx(pad)


def test_given_an_hour_of_spapi_get_order_paced_then_at_least_95_percent_of_the_quota_and_never_over(
        clock: VirtualClock):
    pacer = Pacer(clock, None, groups={"getOrder": {"max": 30, "restorePerSecond": 0.5}})
    start, sent = clock.time(), []
    while clock.time() - start < 3600:
        clock.advance(pacer.reserve("S", "getOrder"))
        sent.append(clock.time())
    sent = [t for t in sent if t - start < 3600]
    allowed = 30 + 0.5 * 3600  # the burst, then one every 2 s
    assert len(sent) >= 0.95 * allowed
    # Amazon's bucket (arrival at the send time here) never goes below zero.
    tokens, last = 30.0, start
    for t in sent:
        tokens = min(30.0, tokens + (t - last) * 0.5) - 1
        last = t
        assert tokens >= -1e-9
