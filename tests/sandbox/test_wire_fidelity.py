"""Fidelity fixes found by running real MWS client libraries against the sandbox: NextTokens in
real base64 (with `+` and `/`), throttle bodies in Amazon's form, hourly quotas that reset at a fixed
minute of the clock, quota headers on injected faults, NextToken after Orders in ListOrders."""
from __future__ import annotations

import base64
import re
import urllib.parse

import httpx
import pytest
from lxml import etree

from app.sandbox import Sandbox

from .feeds_helpers import INVENTORY, US, envelope, inventory
from .helpers import FEEDS, ORDERS, SELLERS, Caller, error_code, iso, text, xml

STANDARD_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


def window(clock, **extra):
    return {"MarketplaceId.Id.1": "ATVPDKIKX0DER", "LastUpdatedAfter": iso(clock.time() - 20 * 86_400),
            "MaxResultsPerPage": "3", **extra}


def local_children(el: etree._Element) -> list[str]:
    return [etree.QName(c).localname for c in el if isinstance(c.tag, str)]


# -- NextTokens ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path,action,params,result", [
    (ORDERS, "ListOrders", "window", "ListOrdersResult"),
    (SELLERS, "ListMarketplaceParticipations", None, "ListMarketplaceParticipationsResult"),
    (FEEDS, "GetFeedSubmissionList", {"MaxCount": "1"}, "GetFeedSubmissionListResult"),
])
async def test_given_a_page_with_more_to_follow_then_the_next_token_is_standard_base64_with_plus_and_slash(
        mws, clock, path, action, params, result):
    if path == FEEDS:
        for _ in range(2):
            await mws.submit(envelope(INVENTORY, inventory("SBX-ANY-001")), {"FeedType": INVENTORY, **US})
    doc = xml(await mws.call(path, action, window(clock) if params == "window" else params))
    token = text(doc, f"{result}/NextToken")
    assert STANDARD_BASE64.match(token) and "+" in token and "/" in token, token
    base64.b64decode(token, validate=True)


async def test_given_a_next_token_whose_plus_signs_arrive_as_spaces_then_next_token_corrupted(mws, clock):
    """The commonest client bug: `+` sent unencoded in a form body reads as a space."""
    token = text(xml(await mws.call(ORDERS, "ListOrders", window(clock))), "ListOrdersResult/NextToken")
    response = await mws.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token.replace("+", " ")})
    assert (response.status_code, error_code(response)) == (400, "NextTokenCorrupted")


async def test_given_a_next_token_sent_percent_encoded_then_every_page_follows(mws, clock):
    doc = xml(await mws.call(ORDERS, "ListOrders", window(clock)))
    seen = 0
    for _ in range(4):
        token = text(doc, "ListOrdersResult/NextToken") or text(doc, "ListOrdersByNextTokenResult/NextToken")
        assert urllib.parse.quote(token, safe="") != token          # it really needs encoding
        doc = xml(await mws.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token}))
        seen += len(doc.findall(".//{*}Order"))
    assert seen == 12


# -- ListOrders element order ----------------------------------------------------------------------

async def test_given_list_orders_with_more_pages_then_next_token_comes_after_orders_as_live_mws_sends_it(
        mws, clock):
    first = xml(await mws.call(ORDERS, "ListOrders", window(clock)))
    result = first.find("{*}ListOrdersResult")
    assert local_children(result) == ["LastUpdatedBefore", "Orders", "NextToken"]
    token = result.findtext("{*}NextToken")
    second = xml(await mws.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token}))
    assert local_children(second.find("{*}ListOrdersByNextTokenResult"))[-2:] == ["Orders", "NextToken"]


# -- throttle bodies -------------------------------------------------------------------------------

async def test_given_request_throttled_then_the_body_has_an_empty_type_no_detail_and_request_id_with_capital_d(
        mws):
    for _ in range(2):
        await mws.call(SELLERS, "GetServiceStatus")
    response = await mws.call(SELLERS, "GetServiceStatus")
    assert (response.status_code, error_code(response)) == (503, "RequestThrottled")
    doc = xml(response)
    error = doc.find("{*}Error")
    assert local_children(error) == ["Type", "Code", "Message"]
    assert error.findtext("{*}Type") == "" and b"<Type></Type>" in response.content
    assert local_children(doc)[-1] == "RequestID" and text(doc, "RequestID") == response.headers["x-mws-request-id"]


async def test_given_a_503_fault_then_it_has_the_throttle_form_too(mws, sandbox):
    sandbox.faults.add("ListOrders", "503", 1)
    doc = xml(await mws.call(ORDERS, "ListOrders"))
    assert local_children(doc.find("{*}Error")) == ["Type", "Code", "Message"] and text(doc, "RequestID")


async def test_given_a_sender_error_then_it_keeps_its_type_and_detail(mws):
    doc = xml(await mws.call(ORDERS, "ListOrders"))
    assert local_children(doc.find("{*}Error")) == ["Type", "Code", "Message", "Detail"]
    assert text(doc, "Error/Type") == "Sender" and text(doc, "RequestId")


# -- hourly quota: a fixed reset time per hour -------------------------------------------------------

async def test_given_an_idle_hour_between_calls_then_the_hourly_quota_still_resets_at_the_same_minute(mws, clock):
    first = (await mws.call(FEEDS, "GetFeedSubmissionCount")).headers["x-mws-quota-resetsOn"]
    clock.advance(2.5 * 3600)               # idle; a rolling window would now restart from this call
    later = await mws.call(FEEDS, "GetFeedSubmissionCount")
    resets = later.headers["x-mws-quota-resetsOn"]
    assert resets[13:] == first[13:]        # same minute, second and millisecond past the hour
    assert resets == iso(clock.time() + 0.5 * 3600) and later.headers["x-mws-quota-remaining"] == "79.0"


async def test_given_a_reset_minute_then_resets_on_falls_at_that_minute_past_every_hour(clock):
    sb = Sandbox(clock=clock, wall=clock.time, quota_reset_minute=12)
    async with httpx.AsyncClient(transport=sb.transport()) as http:
        caller = Caller(http, clock)
        for _ in range(3):
            response = await caller.call(FEEDS, "GetFeedSubmissionCount")
            resets = response.headers["x-mws-quota-resetsOn"]
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:12:00\.000Z", resets), resets
            assert resets > iso(clock.time())
            clock.advance(1500)


# -- injected faults carry the quota headers ---------------------------------------------------------

@pytest.mark.parametrize("kind,status", [("503", 503), ("500", 500)])
async def test_given_a_fault_on_a_feeds_operation_then_the_answer_carries_the_quota_headers(
        mws, sandbox, kind, status):
    await mws.call(FEEDS, "GetFeedSubmissionCount")
    sandbox.faults.add("GetFeedSubmissionCount", kind, 1)
    response = await mws.call(FEEDS, "GetFeedSubmissionCount")
    assert response.status_code == status
    assert (response.headers["x-mws-quota-max"], response.headers["x-mws-quota-remaining"]) == ("80.0", "79.0")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", response.headers["x-mws-quota-resetsOn"])


async def test_given_a_fault_on_an_orders_operation_then_no_quota_headers_as_orders_have_none(mws, sandbox):
    sandbox.faults.add("ListOrders", "503", 1)
    response = await mws.call(ORDERS, "ListOrders")
    assert response.status_code == 503 and "x-mws-quota-max" not in response.headers
