"""Pacing: token buckets per (seller, throttle group) on an injected clock."""
from __future__ import annotations

import pytest

from app.clock import VirtualClock
from app.mws.operations import operation, operations, throttle_groups
from app.mws.throttle import Pacer
from app.settings import Settings

CONTRACT_GROUPS = {
    "ListOrders", "GetOrder", "ListOrderItems", "ListMarketplaceParticipations", "GetServiceStatus", "SubmitFeed",
    "GetFeedSubmissionList", "GetFeedSubmissionListByNextToken", "GetFeedSubmissionCount",
    "CancelFeedSubmissions", "GetFeedSubmissionResult",
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


def test_given_a_full_bucket_when_the_burst_is_used_then_the_next_waits_one_restore_period(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    assert [pacer.reserve("S", "GetOrder") for _ in range(6)] == [0.0] * 6
    assert pacer.reserve("S", "GetOrder") == pytest.approx(60)
    assert pacer.reserve("S", "GetOrder") == pytest.approx(120)  # queued behind the previous one


def test_given_time_passes_when_reserving_then_tokens_have_come_back(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    for _ in range(30):
        pacer.reserve("S", "ListOrderItems")
    clock.advance(4)
    assert pacer.reserve("S", "ListOrderItems") == 0.0
    assert pacer.reserve("S", "ListOrderItems") == 0.0
    assert pacer.reserve("S", "ListOrderItems") == pytest.approx(2)


def test_given_two_sellers_then_their_buckets_are_separate(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    for _ in range(6):
        pacer.reserve("S1", "ListOrders")
    assert pacer.delay("S1", "ListOrders") == pytest.approx(60)
    assert pacer.delay("S2", "ListOrders") == 0.0


def test_given_an_hourly_quota_when_it_is_used_then_the_next_request_waits_for_the_hour(clock: VirtualClock):
    pacer = Pacer(clock, Settings(mws_quotas={"SubmitFeed": {"max": 100, "restorePerSecond": 100, "hourly": 3}}))
    assert [pacer.reserve("S", "SubmitFeed") for _ in range(3)] == [0.0] * 3
    assert pacer.reserve("S", "SubmitFeed") == pytest.approx(3600)


def test_given_mws_quotas_when_building_then_the_group_is_overridden(clock: VirtualClock):
    pacer = Pacer(clock, Settings(mws_quotas={"ListOrders": {"max": 1, "restorePerSecond": 0.1}}))
    assert pacer.reserve("S", "ListOrders") == 0.0
    assert pacer.reserve("S", "ListOrders") == pytest.approx(10)
    assert pacer.quota("GetOrder").max == 6


def test_given_pacing_off_then_it_never_waits(clock: VirtualClock):
    pacer = Pacer(clock, Settings(mws_pacing=False))
    assert [pacer.reserve("S", "GetServiceStatus") for _ in range(10)] == [0.0] * 10
    assert pacer.delay("S", "GetServiceStatus") == 0.0


def test_given_a_503_when_reported_then_the_bucket_is_emptied(clock: VirtualClock):
    pacer = Pacer(clock, Settings())
    pacer.reserve("S", "ListOrderItems")
    pacer.throttled("S", "ListOrderItems", "RequestThrottled")
    assert pacer.delay("S", "ListOrderItems") == pytest.approx(2)


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
