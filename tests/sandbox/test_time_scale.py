"""SANDBOX_TIME_SCALE speeds up quotas and feed progress only; the sandbox's clock — its orders, their
generator, echoed bounds, feed dates and x-mws-timestamp — stays the clock it was given."""
from __future__ import annotations

import time

import httpx
import pytest

from app.clock import SystemClock, VirtualClock
from app.sandbox import Sandbox
from app.sandbox.mws.feeds.models import FeedStore, feed_date
from app.sandbox.mws.throttle import Throttle

from .feeds_helpers import INVENTORY, US, envelope, inventory, submit_id
from .helpers import FEEDS, ORDERS, Caller, error_code, iso, text, xml

SCALE = 30
BODY = envelope(INVENTORY, inventory("SBX-ANY-001"))


@pytest.fixture
def scaled(clock) -> Sandbox:
    return Sandbox(clock=clock, wall=clock.time, time_scale=SCALE)


@pytest.fixture
async def mws(scaled, clock):
    async with httpx.AsyncClient(transport=scaled.transport()) as client:
        yield Caller(client, clock)


def orders_window(clock, **extra):
    return {"MarketplaceId.Id.1": "ATVPDKIKX0DER", "LastUpdatedAfter": iso(clock.time() - 86_400),
            "MaxResultsPerPage": "1", **extra}


async def feed_info(mws, feed_id: str) -> dict[str, str | None]:
    doc = xml(await mws.call(FEEDS, "GetFeedSubmissionList", {"FeedSubmissionIdList.Id.1": feed_id}))
    info = "GetFeedSubmissionListResult/FeedSubmissionInfo/"
    return {tag: text(doc, info + tag) for tag in ("SubmittedDate", "FeedProcessingStatus", "StartedProcessingDate",
                                                   "CompletedProcessingDate")}


# -- what the scale speeds up --------------------------------------------------------------------

async def test_given_scale_30_when_a_feed_is_submitted_then_it_is_done_after_65_over_30_seconds_of_clock_time(
        mws, clock):
    submitted = clock.time()
    feed_id = await submit_id(mws, INVENTORY, BODY)
    clock.advance(5 / SCALE - 0.01)
    assert (await feed_info(mws, feed_id))["FeedProcessingStatus"] == "_SUBMITTED_"
    clock.advance(0.02)
    assert (await feed_info(mws, feed_id))["FeedProcessingStatus"] == "_IN_PROGRESS_"
    clock.advance((5 + 60) / SCALE - 0.01 - clock.time() + submitted)
    assert (await feed_info(mws, feed_id))["FeedProcessingStatus"] == "_IN_PROGRESS_"
    clock.advance(0.02)
    info = await feed_info(mws, feed_id)
    assert info["FeedProcessingStatus"] == "_DONE_"
    # Its dates are the clock's own: submitted now, done a scaled 65 s later (whole seconds, +00:00).
    assert info["SubmittedDate"] == feed_date(int(submitted * 1000))
    assert info["CompletedProcessingDate"] == feed_date(int(submitted * 1000) + 2167)


async def test_given_scale_30_when_two_feeds_of_one_type_then_the_second_is_done_a_scaled_minute_later(mws, clock):
    first = await submit_id(mws, INVENTORY, BODY)
    second = await submit_id(mws, INVENTORY, BODY)
    clock.advance(65 / SCALE + 0.01)
    assert (await feed_info(mws, first))["FeedProcessingStatus"] == "_DONE_"
    assert (await feed_info(mws, second))["FeedProcessingStatus"] == "_IN_PROGRESS_"
    clock.advance(60 / SCALE)
    assert (await feed_info(mws, second))["FeedProcessingStatus"] == "_DONE_"


async def test_given_scale_30_when_list_orders_empties_its_bucket_then_a_token_comes_back_every_2_seconds(
        mws, clock):
    for _ in range(6):
        assert (await mws.call(ORDERS, "ListOrders", orders_window(clock))).status_code == 200
    assert error_code(await mws.call(ORDERS, "ListOrders", orders_window(clock))) == "RequestThrottled"
    clock.advance(1.9)
    assert error_code(await mws.call(ORDERS, "ListOrders", orders_window(clock))) == "RequestThrottled"
    clock.advance(0.1)
    assert (await mws.call(ORDERS, "ListOrders", orders_window(clock))).status_code == 200
    assert error_code(await mws.call(ORDERS, "ListOrders", orders_window(clock))) == "RequestThrottled"


async def test_given_scale_30_when_a_feeds_hourly_quota_is_spent_then_it_resets_after_120_seconds(clock):
    sb = Sandbox(clock=clock, wall=clock.time, time_scale=SCALE,
                 quotas={"GetFeedSubmissionCount": {"max": 1000}})   # only the hourly quota binds
    async with httpx.AsyncClient(transport=sb.transport()) as client:
        mws = Caller(client, clock)
        start = clock.time()
        for _ in range(80):
            assert (await mws.call(FEEDS, "GetFeedSubmissionCount")).status_code == 200
        clock.advance(119.9)
        response = await mws.call(FEEDS, "GetFeedSubmissionCount")
        assert (response.status_code, error_code(response)) == (503, "QuotaExceeded")
        assert response.headers["x-mws-quota-resetsOn"] == iso(start + 120)
        assert "Your quota will reset on" in text(xml(response), "Error/Message")
        clock.advance(0.1)
        response = await mws.call(FEEDS, "GetFeedSubmissionCount")
        assert response.status_code == 200
        assert response.headers["x-mws-quota-remaining"] == "79.0"
        assert response.headers["x-mws-quota-resetsOn"] == iso(clock.time() + 120)


def test_given_a_throttle_with_a_scale_then_restore_rates_multiply_and_the_hour_divides():
    throttle = Throttle(time_scale=SCALE)
    for _ in range(15):
        throttle.take("S", "K", "SubmitFeed", 1000.0, "Feeds/2009-01-01/SubmitFeed")
    bucket = next(iter(throttle.buckets.values()))
    assert bucket.rate == pytest.approx(SCALE / 120) and throttle.window == 120
    assert throttle.levels(1004.0)[0]["level"] == pytest.approx(1.0)     # 1 token per 4 s, not per 120 s


def test_given_scale_1_then_throttle_and_feed_store_keep_amazons_durations():
    throttle = Throttle()
    throttle.take("S", "K", "ListOrders", 0.0, "Orders/2013-09-01/ListOrders")
    assert next(iter(throttle.buckets.values())).rate == 1 / 60 and throttle.window == 3600
    store = FeedStore(1, lambda feed: b"")
    assert (store.start_delay_ms, store.processing_ms) == (5_000, 60_000)


@pytest.mark.parametrize("scale", [0, -1])
def test_given_a_non_positive_scale_then_the_sandbox_refuses_it(clock, scale):
    with pytest.raises(ValueError):
        Sandbox(clock=clock, time_scale=scale)


# -- what the scale leaves alone -----------------------------------------------------------------

async def test_given_scale_30_then_the_list_orders_echo_and_x_mws_timestamp_follow_the_clock_unscaled(mws, clock):
    clock.advance(600)
    response = await mws.call(ORDERS, "ListOrders", orders_window(clock))
    assert text(xml(response), "ListOrdersResult/LastUpdatedBefore") == iso(clock.time() - 120)
    assert response.headers["x-mws-timestamp"] == iso(clock.time())


async def test_given_scale_30_when_a_feed_is_submitted_later_then_its_submitted_date_is_the_clocks_now(mws, clock):
    clock.advance(600)
    response = await mws.submit(BODY, {"FeedType": INVENTORY, **US})
    assert text(xml(response), "SubmitFeedResult/FeedSubmissionInfo/SubmittedDate") == feed_date(
        int(clock.time() * 1000))


def test_given_scale_30_when_time_passes_then_the_generator_adds_one_order_per_order_every_of_clock_time(clock):
    sb = Sandbox(clock=clock, order_every=60, time_scale=SCALE)
    clock.advance(60 * 10 + 30)
    state = sb.state()
    assert sb.generator.applied == 10
    assert state["now"] == iso(clock.time())
    assert max(o.last_update_ms for o in sb.book.orders.values()) == sb.start_ms + 10 * 60_000
    assert all(o.last_update_ms <= sb.now_ms() for o in sb.book.orders.values())


def test_given_scale_30_then_the_seeded_orders_were_updated_over_the_last_30_days_of_the_clock(clock):
    sb = Sandbox(clock=clock, time_scale=SCALE)
    now_ms = int(clock.time() * 1000)
    dates = [o.last_update_ms for o in sb.book.orders.values()]
    assert len(dates) == 250
    assert now_ms - 30 * 86_400_000 <= min(dates) and max(dates) <= now_ms


def test_given_scale_30_and_the_same_seed_then_the_data_is_the_unscaled_sandboxs():
    def orders(scale: float) -> list:
        clock = VirtualClock()
        sb = Sandbox(clock=clock, seed=3, order_every=30, time_scale=scale)
        clock.advance(3600)
        return sb.state()["orders"]

    assert orders(SCALE) == orders(1)


def test_given_no_injected_clock_when_scaled_then_the_sandbox_runs_on_real_time():
    sb = Sandbox(time_scale=SCALE)
    assert isinstance(sb.clock, SystemClock)
    assert abs(sb.now_ms() / 1000 - time.time()) < 5
    assert abs(sb.start_ms / 1000 - time.time()) < 5
    assert max(o.last_update_ms for o in sb.book.orders.values()) <= sb.now_ms()
