"""The client's decision table, pacing and wire format, against respx answers on a virtual clock."""
from __future__ import annotations

import logging
from urllib.parse import parse_qsl

import httpx
import pytest

from app.mws.md5 import content_md5
from app.mws.client import client_for
from app.mws.retry import BACKOFF, Decision, classify
from app.mws.errors import (
    AuthError,
    ContentMD5Mismatch,
    MalformedResponse,
    NextTokenCorrupted,
    NotReady,
    RequestError,
    ServerError,
    Throttled,
    Timeout,
    TransportError,
)
from app.pacing.buckets import PACING_PAD_SECONDS as PAD
from app.pacing.buckets import Quota
from app.pacing.pacer import Pacer
from app.runtime.errors import DeadlineExceeded
from app.settings import Settings

from .builders import CFG, FEEDS_NS, error_body, get_order, list_order_items, list_orders, reference_signature, sent_params, xml_response

ORDERS = "/Orders/2013-09-01"
THROTTLED = error_body("RequestThrottled", "Request is throttled", type_="", ns=None, request_id_tag="RequestID")


def ok_order():
    return xml_response(200, get_order())


def throttled(code: str = "RequestThrottled", headers: dict | None = None):
    return xml_response(503, THROTTLED.replace("RequestThrottled", code), headers=headers)


# -- the decision table ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "error, mode, failures, decision",
    [
        (Throttled("x"), "sample", 0, Decision.FAIL),
        (Throttled("x"), "run", 0, Decision.THROTTLE_WAIT),
        (ServerError("x"), "run", 1, Decision.RETRY),
        (ServerError("x"), "run", 4, Decision.RETRY),
        (ServerError("x"), "run", 5, Decision.FAIL),
        (ServerError("x"), "sample", 1, Decision.FAIL),
        (TransportError("x"), "run", 1, Decision.RETRY),
        (Timeout("x"), "run", 1, Decision.RETRY),
        (MalformedResponse("x"), "run", 1, Decision.RETRY),
        (MalformedResponse("x", retriable=False), "run", 1, Decision.FAIL),
        (ContentMD5Mismatch("x"), "run", 3, Decision.RETRY),
        (ContentMD5Mismatch("x"), "run", 4, Decision.FAIL),
        (NotReady("x"), "run", 1, Decision.REBOUND),
        (NotReady("x"), "sample", 1, Decision.REBOUND),
        (AuthError("x"), "run", 1, Decision.FAIL),
        (RequestError("x"), "run", 1, Decision.FAIL),
        (NextTokenCorrupted("x"), "run", 1, Decision.FAIL),
    ],
)
def test_given_an_error_and_mode_when_classified_then_the_table_decides(error, mode, failures, decision):
    assert classify(error, mode=mode, failures=failures, throttles=1, deadline=100.0) is decision



def _unsent(error: TransportError) -> TransportError:
    error.request_sent = False
    return error


@pytest.mark.parametrize(
    "error, decision",
    [
        (Throttled("x"), Decision.THROTTLE_WAIT),
        (_unsent(TransportError("x")), Decision.RETRY),
        (_unsent(Timeout("x")), Decision.RETRY),
        (TransportError("x"), Decision.FAIL),
        (Timeout("x"), Decision.FAIL),
        (ServerError("x"), Decision.FAIL),
        (MalformedResponse("x"), Decision.FAIL),
    ],
)
def test_given_a_non_idempotent_operation_when_classified_then_only_surely_unsent_calls_are_retried(error, decision):
    assert classify(error, mode="run", failures=1, throttles=1, deadline=100.0, idempotent=False) is decision


async def test_given_submit_feed_when_amazon_answers_500_then_it_is_not_submitted_again(router, make_client, script):
    s = script([xml_response(500, error_body("InternalError", "We encountered an internal error"))] * 3)
    router.post("/Feeds/2009-01-01").mock(side_effect=s)
    with pytest.raises(ServerError):
        await make_client().call("SubmitFeed", {"FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_"},
                                 body=b"<AmazonEnvelope/>", content_type="text/xml")
    assert len(s.requests) == 1

# -- 503 -------------------------------------------------------------------------------------------

async def test_given_sample_mode_when_amazon_answers_503_then_exactly_one_request_and_throttled_at_once(
        router, make_client, script, clock):
    s = script([throttled()])
    router.post(ORDERS).mock(side_effect=s)
    start = clock.time()
    with pytest.raises(Throttled) as info:
        await make_client(mode="sample").call("GetOrder", {"AmazonOrderId.Id.1": "902-3159896-1390916"})
    assert len(s.times) == 1 and clock.time() == start
    assert info.value.code == "RequestThrottled" and info.value.status == 503
    assert info.value.message == "Request is throttled"
    assert info.value.request_id == "e26147f9-aaaa-bbbb-cccc-000000000000"


async def test_given_sample_mode_quota_exceeded_then_the_error_keeps_amazons_code(router, make_client, script):
    router.post(ORDERS).mock(side_effect=script([throttled("QuotaExceeded")]))
    with pytest.raises(Throttled) as info:
        await make_client(mode="sample").call("GetOrder", {})
    assert info.value.code == "QuotaExceeded"


async def test_given_run_mode_when_503_then_it_waits_at_least_throttle_retry_delay_and_retries(
        router, make_client, script):
    s = script([throttled(), throttled(), xml_response(200, list_order_items())])
    router.post(ORDERS).mock(side_effect=s)
    result = await make_client(settings=Settings(throttle_retry_delay_ms=30_000)).call(
        "ListOrderItems", {"AmazonOrderId": "902-3159896-1390916"})
    assert result.status == 200 and len(s.times) == 3
    assert result.data["orderItems"][0]["quantityOrdered"] == 1
    assert all(gap >= 30 for gap in s.gaps())  # ListOrderItems restores in 2 s: the delay is the floor


async def test_given_run_mode_when_503_then_it_also_waits_the_buckets_restore_time(router, make_client, script):
    s = script([throttled(), ok_order()])
    router.post(ORDERS).mock(side_effect=s)
    await make_client(settings=Settings(throttle_retry_delay_ms=1_000)).call("GetOrder", {})
    assert s.gaps()[0] >= 60 - 1e-6  # GetOrder restores one request a minute


async def test_given_run_mode_when_the_next_throttle_wait_would_pass_the_deadline_then_deadline_exceeded(
        router, make_client, script, clock):
    s = script([throttled()])
    router.post(ORDERS).mock(side_effect=s)
    with pytest.raises(DeadlineExceeded):
        await make_client(deadline=clock.time() + 45).call("GetOrder", {})
    assert len(s.times) == 1


@pytest.mark.parametrize("code", ["ServiceUnavailable", "InternalError"])
async def test_given_run_mode_when_a_503_with_another_code_then_it_waits_at_least_throttle_retry_delay_keeping_the_code(
        router, make_client, script, code):
    body = error_body(code, "Service temporarily unavailable", type_="Receiver")
    s = script([xml_response(503, body), xml_response(503, body), xml_response(200, list_order_items())])
    router.post(ORDERS).mock(side_effect=s)
    result = await make_client(settings=Settings(throttle_retry_delay_ms=30_000)).call(
        "ListOrderItems", {"AmazonOrderId": "902-3159896-1390916"})
    assert result.status == 200 and len(s.times) == 3
    assert all(gap >= 30 for gap in s.gaps())  # not the 1 s backoff of a ServerError


@pytest.mark.parametrize("code", ["ServiceUnavailable", "InternalError"])
async def test_given_sample_mode_when_a_503_with_another_code_then_throttled_with_amazons_code_and_type(
        router, make_client, script, code):
    router.post(ORDERS).mock(side_effect=script([xml_response(503, error_body(code, "busy", type_="Receiver"))]))
    with pytest.raises(Throttled) as info:
        await make_client(mode="sample").call("GetOrder", {})
    assert (info.value.code, info.value.type, info.value.status, info.value.retriable) == (code, "Receiver", 503, True)


async def test_given_a_503_service_unavailable_for_submit_feed_when_run_mode_then_it_waits_and_submits_again(
        router, make_client, script):
    """Like RequestThrottled, a 503 says Amazon did not take the request: waiting and resending is safe."""
    body = error_body("ServiceUnavailable", "Service temporarily unavailable", ns=FEEDS_NS)
    ok = ('<?xml version="1.0"?><SubmitFeedResponse xmlns="http://mws.amazonaws.com/doc/2009-01-01/">'
          "<SubmitFeedResult><FeedSubmissionInfo><FeedSubmissionId>50001</FeedSubmissionId>"
          "</FeedSubmissionInfo></SubmitFeedResult><ResponseMetadata><RequestId>r</RequestId>"
          "</ResponseMetadata></SubmitFeedResponse>")
    s = script([xml_response(503, body), xml_response(200, ok)])
    router.post("/Feeds/2009-01-01").mock(side_effect=s)
    await make_client(settings=Settings(throttle_retry_delay_ms=30_000)).call(
        "SubmitFeed", {"FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_"}, body=b"<AmazonEnvelope/>",
        content_type="text/xml")
    assert len(s.requests) == 2 and s.gaps()[0] >= 120  # SubmitFeed restores one every 2 minutes


async def test_given_an_empty_type_in_the_error_response_then_the_error_reports_amazons_empty_type(
        router, make_client, script):
    router.post(ORDERS).mock(side_effect=script([throttled()]))
    with pytest.raises(Throttled) as info:
        await make_client(mode="sample").call("GetOrder", {})
    assert info.value.type == "" and info.value.as_error()["type"] == ""


async def test_given_no_type_element_in_the_error_response_then_the_class_default_type_is_reported(
        router, make_client, script):
    body = error_body("InvalidParameterValue", "bad").replace("<Type>Sender</Type>", "")
    router.post(ORDERS).mock(side_effect=script([xml_response(400, body)]))
    with pytest.raises(RequestError) as info:
        await make_client(mode="sample").call("GetOrder", {})
    assert info.value.type == "Sender"


async def test_given_quota_exceeded_without_quota_headers_when_run_mode_then_it_waits_until_the_reset_in_the_message(
        router, make_client, script, clock):
    from datetime import datetime, timezone

    reset = datetime.fromtimestamp(int(clock.time()) + 1500, tz=timezone.utc)
    message = ("You exceeded your quota of 30.0 requests per 1 hour for operation Feeds/2009-01-01/"
               f"GetFeedSubmissionCount.  Your quota will reset on {reset:%a %b %d %H:%M:%S} UTC {reset.year}")
    body = error_body("QuotaExceeded", message, type_="", ns=None, request_id_tag="RequestID")
    count = ('<?xml version="1.0"?><GetFeedSubmissionCountResponse xmlns="http://mws.amazonaws.com/doc/2009-01-01/">'
             "<GetFeedSubmissionCountResult><Count>3</Count></GetFeedSubmissionCountResult>"
             "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetFeedSubmissionCountResponse>")
    s = script([xml_response(503, body), xml_response(200, count)])
    router.post("/Feeds/2009-01-01").mock(side_effect=s)
    result = await make_client(settings=Settings(throttle_retry_delay_ms=1_000)).call("GetFeedSubmissionCount", {})
    assert result.data["count"] == 3
    assert s.times[1] == pytest.approx(reset.timestamp(), abs=1)


async def test_given_quota_exceeded_in_the_message_when_the_reset_is_past_the_deadline_then_deadline_exceeded_with_the_wait(
        router, make_client, script, clock):
    from datetime import datetime, timezone

    reset = datetime.fromtimestamp(int(clock.time()) + 1500, tz=timezone.utc)
    message = f"You exceeded your quota.  Your quota will reset on {reset:%a %b %d %H:%M:%S} UTC {reset.year}"
    s = script([xml_response(503, error_body("QuotaExceeded", message, type_="", ns=None))])
    router.post("/Feeds/2009-01-01").mock(side_effect=s)
    start = clock.time()
    with pytest.raises(DeadlineExceeded) as info:
        await make_client(deadline=clock.time() + 600, settings=Settings(throttle_retry_delay_ms=1_000)).call(
            "GetFeedSubmissionCount", {})
    assert len(s.requests) == 1
    assert info.value.wait_seconds == pytest.approx(1500, abs=1) and clock.time() == start  # raised at once


async def test_given_run_mode_when_throttled_until_the_deadline_then_it_retries_until_then(
        router, make_client, script, clock):
    s = script([throttled()])
    router.post(ORDERS).mock(side_effect=s)
    deadline = clock.time() + 600
    with pytest.raises(DeadlineExceeded):
        await make_client(deadline=deadline).call("GetOrder", {})
    # each wait is the emptied bucket's padded restore (60 s + the pad, + the pad once more on the
    # wait): from 0 to 544.5 s; the next wait would pass the deadline
    assert len(s.times) == 10
    assert s.gaps() == [pytest.approx(60 + 2 * PAD)] * 9 and clock.time() <= deadline


# -- 500, network, malformed --------------------------------------------------------------------------

async def test_given_500s_when_run_mode_then_four_retries_with_backoff_and_then_server_error(
        router, make_client, script):
    s = script([xml_response(500, error_body("InternalError", "We encountered an internal error", type_="Receiver"))])
    router.post(ORDERS).mock(side_effect=s)
    with pytest.raises(ServerError) as info:
        await make_client().call("GetOrder", {})
    assert len(s.times) == 1 + len(BACKOFF)
    assert s.gaps() == [pytest.approx(w) for w in BACKOFF]
    assert info.value.code == "InternalError" and info.value.retriable is True


async def test_given_one_500_then_success_when_run_mode_then_the_answer_is_returned(router, make_client, script):
    s = script([xml_response(500, ""), ok_order()])
    router.post(ORDERS).mock(side_effect=s)
    result = await make_client().call("GetOrder", {})
    assert result.data["orders"][0]["amazonOrderId"] == "902-3159896-1390916"
    assert s.gaps() == [pytest.approx(1.0)]


async def test_given_a_500_in_sample_mode_then_it_is_raised_at_once(router, make_client, script):
    s = script([xml_response(500, "")])
    router.post(ORDERS).mock(side_effect=s)
    with pytest.raises(ServerError):
        await make_client(mode="sample").call("GetOrder", {})
    assert len(s.times) == 1


async def test_given_a_connection_failure_then_transport_error_without_the_url_after_bounded_retries(
        router, make_client, script):
    s = script([httpx.ConnectError("failed https://mws.amazonservices.com/?MWSAuthToken=amzn.mws.4ea38b7b")])
    router.post(ORDERS).mock(side_effect=s)
    with pytest.raises(TransportError) as info:
        await make_client().call("GetOrder", {})
    assert len(s.times) == 5
    text = str(info.value) + repr(info.value) + info.value.message
    assert "amazonservices" not in text and "MWSAuthToken" not in text and "amzn.mws" not in text
    assert info.value.__cause__ is None and info.value.__suppress_context__


async def test_given_a_timeout_then_timeout_error(router, make_client, script):
    router.post(ORDERS).mock(side_effect=script([httpx.ReadTimeout("timed out")]))
    with pytest.raises(Timeout) as info:
        await make_client(mode="sample").call("GetOrder", {})
    assert info.value.code == "Timeout"


async def test_given_a_cut_body_then_success_when_run_mode_then_it_retries(router, make_client, script):
    s = script([xml_response(200, get_order()[:80]), ok_order()])
    router.post(ORDERS).mock(side_effect=s)
    result = await make_client().call("GetOrder", {})
    assert result.request_id == "88faca76-b600-46d2-b53c-0c8c4533e43a" and len(s.times) == 2


async def test_given_a_body_over_the_limit_then_it_is_refused_without_retrying(router, make_client, script,
                                                                               monkeypatch):
    import app.mws.client as client_module

    monkeypatch.setattr(client_module, "MAX_XML_BYTES", 100)
    s = script([ok_order()])
    router.post(ORDERS).mock(side_effect=s)
    with pytest.raises(MalformedResponse, match="exceeds"):
        await make_client().call("GetOrder", {})
    assert len(s.times) == 1


# -- error mapping -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "status, body, cls, code",
    [
        (403, error_body("SignatureDoesNotMatch", "The request signature we calculated does not match"),
         AuthError, "SignatureDoesNotMatch"),
        (401, error_body("AccessDenied", "Access denied"), AuthError, "AccessDenied"),
        (403, error_body("InvalidAccessKeyId", "Invalid key", request_id_tag="RequestID"), AuthError,
         "InvalidAccessKeyId"),
        (400, error_body("NextTokenCorrupted", "The NextToken is corrupted"), NextTokenCorrupted,
         "NextTokenCorrupted"),
        (400, error_body("InvalidParameterValue", "CreatedAfter or LastUpdatedAfter must be specified"),
         RequestError, "InvalidParameterValue"),
        (404, error_body("InvalidAddress", "Resource /Sellers/ is not found on this server."), RequestError,
         "InvalidAddress"),
        (502, "<html>bad gateway</html>", ServerError, "InternalError"),
    ],
)
async def test_given_an_error_answer_then_it_becomes_the_right_class_with_amazons_fields(
        router, make_client, script, status, body, cls, code):
    s = script([xml_response(status, body)])
    router.post(ORDERS).mock(side_effect=s)
    with pytest.raises(cls) as info:
        await make_client(mode="sample").call("GetOrder", {})
    err = info.value
    assert type(err) is cls and err.code == code and err.status == status
    assert err.request_id  # from the body, or the x-mws-request-id header
    error = err.as_error()
    assert set(error) == {"code", "message", "type", "requestId", "retriable"}


async def test_given_feed_result_not_ready_then_not_ready_is_raised_for_a_rebound(router, make_client, script):
    body = error_body("FeedProcessingResultNotReady", "Feed Submission Result is not ready for Feed Submission Id: 1",
                      ns=FEEDS_NS)
    s = script([xml_response(400, body)])
    router.post("/Feeds/2009-01-01").mock(side_effect=s)
    with pytest.raises(NotReady):
        await make_client().call("GetFeedSubmissionResult", {"FeedSubmissionId": "1"})
    assert len(s.times) == 1


# -- pacing --------------------------------------------------------------------------------------------

async def test_given_calls_beyond_the_burst_when_pacing_then_they_wait_the_restore_time_and_never_send_early(
        router, make_client, script, clock):
    s = script([ok_order()])
    router.post(ORDERS).mock(side_effect=s)
    client = make_client()
    start = clock.time()
    for _ in range(9):
        await client.call("GetOrder", {"AmazonOrderId.Id.1": "902-3159896-1390916"})
    offsets = [t - start for t in s.times]
    assert offsets[:6] == [0.0] * 6
    # a token every 60 s + the pad (never credited back), and the pad once more on each wait
    assert offsets[6:] == [pytest.approx(k * (60 + PAD) + PAD) for k in (1, 2, 3)]
    # never more than `max` requests in any window the bucket allows
    for i, t in enumerate(s.times):
        sent_before = [u for u in s.times[:i + 1] if u > t - 60 + 1e-6]
        assert len(sent_before) <= 6


async def test_given_pacing_off_then_calls_go_at_once(router, make_client, script, clock):
    s = script([ok_order()])
    router.post(ORDERS).mock(side_effect=s)
    client = make_client(settings=Settings(mws_pacing=False))
    for _ in range(9):
        await client.call("GetOrder", {})
    assert set(s.times) == {clock.time()}


async def test_given_a_well_behaved_sequence_against_a_strict_server_then_no_503_is_met(
        router, make_client, clock):
    """A server that throttles exactly at the documented quota never throttles a paced client."""
    pacer_of_server = Pacer(clock, Settings(mws_pacing=True))
    met = []

    def server(request):
        if pacer_of_server.reserve("server", "ListOrders") > 0:
            met.append(503)
            return throttled()
        return xml_response(200, list_orders(["1"]))

    router.post(ORDERS).mock(side_effect=server)
    client = make_client(settings=Settings(throttle_retry_delay_ms=0))
    for _ in range(20):
        await client.call("ListOrders", {"LastUpdatedAfter": "2020-01-01T00:00:00Z"})
    assert met == []


async def test_given_a_pacing_wait_past_the_deadline_then_deadline_exceeded_and_nothing_sent(
        router, make_client, script, clock):
    s = script([ok_order()])
    router.post(ORDERS).mock(side_effect=s)
    client = make_client(deadline=clock.time() + 30)
    for _ in range(6):
        await client.call("GetOrder", {})
    with pytest.raises(DeadlineExceeded):
        await client.call("GetOrder", {})
    assert len(s.times) == 6


async def test_given_sample_mode_when_the_bucket_is_empty_then_it_sends_at_once(router, make_client, script, clock):
    s = script([ok_order()])
    router.post(ORDERS).mock(side_effect=s)
    client = make_client(mode="sample")
    for _ in range(8):
        await client.call("GetOrder", {})
    assert set(s.times) == {clock.time()}


async def test_given_a_503_then_the_shared_bucket_is_emptied(router, make_client, script, clock):
    pacer = Pacer(clock, Settings())
    router.post(ORDERS).mock(side_effect=script([throttled()]))
    client = make_client(mode="sample", pacer=pacer)
    with pytest.raises(Throttled):
        await client.call("ListOrderItems", {"AmazonOrderId": "1"})
    assert pacer.delay(client.bucket, "ListOrderItems") == pytest.approx(2 + Quota(30, 0.5).pad + PAD)


# -- wire format, paging, results --------------------------------------------------------------------------

async def test_given_an_endpoint_with_a_path_when_calling_then_the_signature_covers_the_full_path(
        http, clock, script):
    import respx

    from app.mws.client import MWSClient
    from app.mws.credentials import Credentials

    router = respx.Router(assert_all_called=False)
    s = script([ok_order()])
    router.post("http://127.0.0.1:8000/sandbox/mws/Orders/2013-09-01").mock(side_effect=s)
    async with httpx.AsyncClient(transport=httpx.MockTransport(router.async_handler)) as client:
        mws = MWSClient(Credentials.from_cfg({**CFG, "marketplaceId": "XUNKNOWN"}), http=client, clock=clock,
                        settings=Settings(), default_endpoint="http://127.0.0.1:8000/sandbox/mws")
        await mws.call("GetOrder", {"AmazonOrderId.Id.1": "902-3159896-1390916", "Flag": True})
    request = s.requests[0]
    params = sent_params(request)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8"
    assert params["Action"] == "GetOrder" and params["Version"] == "2013-09-01" and params["Flag"] == "true"
    assert params["Signature"] == reference_signature(
        "POST", "127.0.0.1:8000", "/sandbox/mws/Orders/2013-09-01", params, CFG["secretAccessKey"])
    assert request.headers["user-agent"].startswith("amazon-mws-component/")


async def test_given_submit_feed_then_the_feed_is_the_body_and_its_md5_a_signed_query_parameter(
        router, make_client, script):
    feed = b'<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Header/></AmazonEnvelope>'
    answer = (f'<SubmitFeedResponse xmlns="{FEEDS_NS}"><SubmitFeedResult><FeedSubmissionInfo>'
              "<FeedSubmissionId>51799018438</FeedSubmissionId><FeedProcessingStatus>_SUBMITTED_"
              "</FeedProcessingStatus></FeedSubmissionInfo></SubmitFeedResult></SubmitFeedResponse>")
    s = script([xml_response(200, answer)])
    router.post("/Feeds/2009-01-01").mock(side_effect=s)
    result = await make_client().call("SubmitFeed", {"FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_",
                                                     "MarketplaceIdList.Id.1": "ATVPDKIKX0DER"},
                                      body=feed, content_type="text/xml")
    request = s.requests[0]
    query = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
    assert request.content == feed and request.headers["content-type"] == "text/xml"
    assert query["ContentMD5Value"] == content_md5(feed)
    assert query["Signature"] == reference_signature(
        "POST", "mws.amazonservices.com", "/Feeds/2009-01-01", query, CFG["secretAccessKey"])
    assert result.data["feedSubmissionInfo"] == [{"feedSubmissionId": "51799018438",
                                                  "feedProcessingStatus": "_SUBMITTED_"}]


async def test_given_next_tokens_when_paging_then_the_by_next_token_operation_follows_until_none(
        router, make_client, script):
    s = script([xml_response(200, list_orders(["1"], next_token="T1")),
                xml_response(200, list_orders(["2"], next_token="T2", result="ListOrdersByNextTokenResult")),
                xml_response(200, list_orders(["3"], result="ListOrdersByNextTokenResult"))])
    router.post(ORDERS).mock(side_effect=s)
    pages = [page async for page in make_client(settings=Settings(mws_pacing=False)).pages(
        "ListOrders", {"LastUpdatedAfter": "2020-01-01T00:00:00Z", "MarketplaceId.Id.1": "ATVPDKIKX0DER"})]
    assert [p.data["orders"][0]["amazonOrderId"] for p in pages] == ["1", "2", "3"]
    assert [p.next_token for p in pages] == ["T1", "T2", None]
    actions = [sent_params(r)["Action"] for r in s.requests]
    assert actions == ["ListOrders", "ListOrdersByNextToken", "ListOrdersByNextToken"]
    assert sent_params(s.requests[1])["NextToken"] == "T1" and "LastUpdatedAfter" not in sent_params(s.requests[1])


async def test_given_a_saved_next_token_when_paging_then_it_resumes_with_by_next_token(router, make_client, script):
    s = script([xml_response(200, list_orders(["9"], result="ListOrdersByNextTokenResult"))])
    router.post(ORDERS).mock(side_effect=s)
    pages = [p async for p in make_client().pages("ListOrders", {}, next_token="SAVED")]
    assert len(pages) == 1 and sent_params(s.requests[0])["NextToken"] == "SAVED"


async def test_given_feed_list_has_next_false_then_next_token_none_stops_paging(router, make_client, script):
    body = (f'<GetFeedSubmissionListResponse xmlns="{FEEDS_NS}"><GetFeedSubmissionListResult>'
            "<NextToken>none</NextToken><HasNext>false</HasNext></GetFeedSubmissionListResult>"
            "</GetFeedSubmissionListResponse>")
    router.post("/Feeds/2009-01-01").mock(side_effect=script([xml_response(200, body)]))
    pages = [p async for p in make_client().pages("GetFeedSubmissionList", {"FeedSubmissionIdList.Id.1": "1"})]
    assert len(pages) == 1 and pages[0].next_token is None and pages[0].data["feedSubmissionInfo"] == []


async def test_given_a_feed_result_then_raw_bytes_and_headers_are_returned_when_md5_matches(
        router, make_client, script):
    report = b'<?xml version="1.0"?><AmazonEnvelope><MessageType>ProcessingReport</MessageType></AmazonEnvelope>'
    router.post("/Feeds/2009-01-01").mock(side_effect=script([httpx.Response(
        200, content=report, headers={"Content-MD5": content_md5(report), "x-mws-request-id": "r-1"})]))
    result = await make_client().call("GetFeedSubmissionResult", {"FeedSubmissionId": "1"})
    assert result.body == report and result.data == {} and result.request_id == "r-1"
    assert result.headers["content-md5"] == content_md5(report)


async def test_given_a_feed_result_failing_its_md5_then_three_retries_and_content_md5_mismatch(
        router, make_client, script):
    s = script([httpx.Response(200, content=b"<a/>", headers={"Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA=="})])
    router.post("/Feeds/2009-01-01").mock(side_effect=s)
    with pytest.raises(ContentMD5Mismatch):
        await make_client().call("GetFeedSubmissionResult", {"FeedSubmissionId": "1"})
    assert len(s.times) == 4


# -- logging and the step context ------------------------------------------------------------------------

async def test_given_calls_when_logging_at_debug_then_one_line_per_attempt_and_no_secret_or_url(
        router, make_client, script, caplog):
    router.post(ORDERS).mock(side_effect=script([xml_response(500, ""), ok_order()]))
    with caplog.at_level(logging.DEBUG):
        await make_client().call("GetOrder", {"AmazonOrderId.Id.1": "902-3159896-1390916"})
    mine = [r for r in caplog.records if r.name == "app.mws"]
    assert len(mine) == 2
    assert "GetOrder" in mine[0].getMessage() and "status=500" in mine[0].getMessage()
    assert "attempt=2" in mine[1].getMessage() and "request_id=11111111" in mine[1].getMessage()
    for record in caplog.records:
        text = record.getMessage()
        assert CFG["secretAccessKey"] not in text and CFG["mwsAuthToken"] not in text
        if record.name == "app.mws":
            assert "http" not in text and "Signature" not in text


async def test_given_submit_feed_when_httpx_logs_the_request_then_the_query_and_its_token_are_not_logged(
        router, make_client, script, caplog):
    answer = f'<SubmitFeedResponse xmlns="{FEEDS_NS}"><SubmitFeedResult/></SubmitFeedResponse>'
    router.post("/Feeds/2009-01-01").mock(side_effect=script([xml_response(200, answer)]))
    # Even with httpx's own logger opened up to DEBUG (the service holds it at WARNING).
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="httpx"):
        await make_client().call("SubmitFeed", {"FeedType": "_POST_PRODUCT_DATA_"}, body=b"<AmazonEnvelope/>")
    assert any(r.name == "httpx" for r in caplog.records)
    for record in caplog.records:
        text = record.getMessage()
        assert CFG["mwsAuthToken"] not in text and "Signature=" not in text and "MWSAuthToken" not in text


async def test_given_a_step_context_when_client_for_then_mode_deadline_and_a_process_wide_pacer_are_used(http, clock):
    from app.runtime.context import Services, StepContext

    async def sink(event):
        pass

    services = Services(settings=Settings(), clock=clock, http=http)
    contexts = [StepContext(step_key="getOrder", kind="action", mode=mode, cfg=CFG, snapshot={}, services=services,
                            sink=sink, log=logging.getLogger("test")) for mode in ("sample", "run")]
    first, second = client_for(contexts[0]), client_for(contexts[1])
    assert first.mode == "sample" and second.mode == "run"
    assert second.deadline == contexts[1].deadline
    assert first.pacer is second.pacer is services.shared["mws.pacer"]
    assert first.endpoint == "https://mws.amazonservices.com"


async def test_given_a_cut_body_with_a_request_id_header_when_it_fails_then_request_id_is_null_and_the_message_names_it(
        router, make_client, script):
    s = script([xml_response(200, "<ListOrdersResponse><ListOrdersRes", request_id="rid-7")])
    router.post(ORDERS).mock(side_effect=s)
    client = make_client(mode="sample")
    with pytest.raises(MalformedResponse) as caught:
        await client.call("ListOrders", {"MarketplaceId.Id.1": "ATVPDKIKX0DER"})
    error = caught.value.as_error()
    assert error["requestId"] is None and "rid-7" in error["message"]
