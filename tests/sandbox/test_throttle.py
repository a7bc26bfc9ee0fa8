"""Throttle buckets per (seller, access key, group) on the sandbox clock."""
from __future__ import annotations

import httpx
import pytest

from app.sandbox import Sandbox
from app.sandbox.mws.errors import MWSError
from app.sandbox.mws.throttle import Throttle, group_of

from .helpers import ORDERS, SELLERS, Caller, error_code, iso, text, xml


def window(clock):
    return {"MarketplaceId.Id.1": "ATVPDKIKX0DER", "LastUpdatedAfter": iso(clock.time() - 86_400),
            "MaxResultsPerPage": "1"}


async def test_given_six_list_orders_when_a_seventh_comes_at_once_then_503_request_throttled(mws, clock):
    for _ in range(6):
        assert (await mws.call(ORDERS, "ListOrders", window(clock))).status_code == 200
    response = await mws.call(ORDERS, "ListOrders", window(clock))
    assert (response.status_code, error_code(response)) == (503, "RequestThrottled")
    assert text(xml(response), "Error/Message") == "Request is throttled"


async def test_given_an_empty_bucket_when_a_minute_passes_on_the_sandbox_clock_then_one_more_call(mws, clock):
    for _ in range(6):
        await mws.call(ORDERS, "ListOrders", window(clock))
    clock.advance(60)
    assert (await mws.call(ORDERS, "ListOrders", window(clock))).status_code == 200
    assert (await mws.call(ORDERS, "ListOrders", window(clock))).status_code == 503


async def test_given_list_orders_when_by_next_token_is_called_then_it_shares_the_bucket(mws, clock):
    doc = xml(await mws.call(ORDERS, "ListOrders", window(clock)))
    token = text(doc, "ListOrdersResult/NextToken")
    for _ in range(5):
        doc = xml(await mws.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token}))
        token = text(doc, "ListOrdersByNextTokenResult/NextToken")
    response = await mws.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token})
    assert error_code(response) == "RequestThrottled"


async def test_given_get_service_status_when_called_three_times_then_the_third_is_throttled(mws):
    codes = [(await mws.call(SELLERS, "GetServiceStatus")).status_code for _ in range(3)]
    assert codes == [200, 200, 503]


async def test_given_another_seller_with_the_same_key_then_it_has_its_own_bucket(sandbox, http, clock, mws):
    sandbox.add_seller("AKIASANDBOXDEMO", "sandbox-secret-key", "A2OTHERSELLER", None, ["ATVPDKIKX0DER"])
    other = Caller(http, clock, creds={"accessKeyId": "AKIASANDBOXDEMO", "secretAccessKey": "sandbox-secret-key",
                                       "sellerId": "A2OTHERSELLER"})
    for _ in range(2):
        await mws.call(SELLERS, "GetServiceStatus")
    assert (await mws.call(SELLERS, "GetServiceStatus")).status_code == 503
    assert (await other.call(SELLERS, "GetServiceStatus")).status_code == 200


async def test_given_quotas_overridden_when_making_many_calls_then_none_is_throttled(clock):
    sb = Sandbox(clock=clock, wall=clock.time, quotas={"ListOrders": {"max": 1000, "restorePerSecond": 100}})
    async with httpx.AsyncClient(transport=sb.transport()) as http:
        caller = Caller(http, clock)
        codes = {(await caller.call(ORDERS, "ListOrders", window(clock))).status_code for _ in range(50)}
    assert codes == {200}


def test_given_an_hourly_group_when_its_hourly_quota_is_spent_then_503_quota_exceeded_until_the_hour_resets():
    throttle = Throttle({"SubmitFeed": {"max": 100, "restorePerSecond": 100, "hourly": 3}})
    headers = [throttle.take("S", "K", "SubmitFeed", 1000.0 + n, "Feeds/2009-01-01/SubmitFeed") for n in range(3)]
    assert headers[0]["x-mws-quota-max"] == "3.0" and headers[-1]["x-mws-quota-remaining"] == "0.0"
    with pytest.raises(MWSError) as caught:
        throttle.take("S", "K", "SubmitFeed", 1010.0, "Feeds/2009-01-01/SubmitFeed")
    assert (caught.value.status, caught.value.code) == (503, "QuotaExceeded")
    assert "You exceeded your quota of 3.0 requests per 1 hour" in caught.value.message
    assert throttle.take("S", "K", "SubmitFeed", 1000.0 + 3600, "Feeds/2009-01-01/SubmitFeed")


def test_given_by_next_token_operations_then_they_map_to_their_operations_group_unless_listed():
    assert group_of("ListOrdersByNextToken") == "ListOrders"
    assert group_of("ListOrderItemsByNextToken") == "ListOrderItems"
    assert group_of("ListMarketplaceParticipationsByNextToken") == "ListMarketplaceParticipations"
    assert group_of("GetFeedSubmissionListByNextToken") == "GetFeedSubmissionListByNextToken"


def test_given_the_state_then_bucket_levels_are_reported(sandbox):
    sandbox.throttle.take("A1SANDBOXSELLER", "AKIASANDBOXDEMO", "GetOrder", sandbox.now_ms() / 1000, "x")
    levels = sandbox.state()["throttle"]
    assert levels == [{"sellerId": "A1SANDBOXSELLER", "accessKeyId": "AKIASANDBOXDEMO", "group": "GetOrder",
                       "level": 5.0, "max": 6}]


async def test_given_an_hourly_quota_over_http_then_quota_headers_and_503_quota_exceeded_without_namespace(clock):
    sb = Sandbox(clock=clock, wall=clock.time, quotas={"GetOrder": {"max": 10, "restorePerSecond": 1, "hourly": 2}})
    async with httpx.AsyncClient(transport=sb.transport()) as http:
        caller = Caller(http, clock)
        ok = await caller.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": "111-0000000-0000000"})
        assert ok.headers["x-mws-quota-max"] == "2.0" and ok.headers["x-mws-quota-remaining"] == "1.0"
        await caller.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": "111-0000000-0000000"})
        over = await caller.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": "111-0000000-0000000"})
    assert (over.status_code, error_code(over)) == (503, "QuotaExceeded")
    doc = xml(over)
    assert doc.nsmap == {} and text(doc, "RequestID") == over.headers["x-mws-request-id"]


async def test_given_get_service_status_when_the_sellers_bucket_is_empty_then_the_orders_one_still_answers(mws):
    """Amazon's buckets are per section's operation: Orders' GetServiceStatus is not Sellers'."""
    assert [(await mws.call(SELLERS, "GetServiceStatus")).status_code for _ in range(3)] == [200, 200, 503]
    assert [(await mws.call(ORDERS, "GetServiceStatus")).status_code for _ in range(3)] == [200, 200, 503]


def test_given_the_same_operation_in_two_sections_then_the_state_reports_two_buckets(sandbox):
    now = sandbox.now_ms() / 1000
    sandbox.throttle.take("A1SANDBOXSELLER", "AKIASANDBOXDEMO", "GetServiceStatus", now,
                          "Orders/2013-09-01/GetServiceStatus")
    sandbox.throttle.take("A1SANDBOXSELLER", "AKIASANDBOXDEMO", "GetServiceStatus", now,
                          "Sellers/2011-07-01/GetServiceStatus")
    levels = sandbox.state()["throttle"]
    assert [(e["section"], e["group"], e["level"]) for e in levels] == [
        ("Orders", "GetServiceStatus", 1.0), ("Sellers", "GetServiceStatus", 1.0)]


def test_given_an_hourly_group_when_quota_exceeded_is_raised_then_it_carries_the_quota_headers():
    throttle = Throttle({"SubmitFeed": {"max": 100, "restorePerSecond": 100, "hourly": 1}})
    throttle.take("S", "K", "SubmitFeed", 1000.0, "Feeds/2009-01-01/SubmitFeed")
    with pytest.raises(MWSError) as caught:
        throttle.take("S", "K", "SubmitFeed", 1010.0, "Feeds/2009-01-01/SubmitFeed")
    assert caught.value.code == "QuotaExceeded"
    assert caught.value.quota_headers == {"x-mws-quota-max": "1.0", "x-mws-quota-remaining": "0.0",
                                          "x-mws-quota-resetsOn": "1970-01-01T01:16:40.000Z"}
    assert caught.value.message.endswith("Your quota will reset on Thu Jan 01 01:16:40 UTC 1970")
