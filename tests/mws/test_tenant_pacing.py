"""Hardening 3: one tenant cannot throttle another.

Buckets are keyed by endpoint + seller + a keyed fingerprint of the credentials; only authenticated
answers teach a bucket; a reset time is never believed beyond the quota's own period. Unit tests on
the pacer run on the virtual clock; the end-to-end ones against hostile servers on 127.0.0.1.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from app.clock import VirtualClock
from app.mws.credentials import Credentials
from app.mws.errors import AuthError, Throttled
from app.pacing.buckets import HOUR, BucketKey
from app.pacing.pacer import Pacer
from app.settings import Settings

from .builders import error_body, participations, reference_signature
from .hostile import ALLOW_LOOPBACK, CANARY_CFG, SECRET, TOKEN, answer, assert_no_canary, mws_client

FAR = "2099-01-01T00:00:00.000Z"
FAR_MESSAGE = ("You exceeded your quota of 30.0 requests per 1 hour for operation Feeds/2009-01-01/SubmitFeed.  "
               "Your quota will reset on Thu Jan 01 00:00:00 UTC 2099")


def test_given_a_quota_exceeded_resetting_in_2099_when_the_group_is_hourly_then_it_blocks_at_most_one_hour(clock):
    pacer = Pacer(clock, Settings())
    pacer.throttled("K", "SubmitFeed", "QuotaExceeded", {"x-mws-quota-resetsOn": FAR})
    pacer.throttled("K", "GetFeedSubmissionList", "QuotaExceeded", {}, FAR_MESSAGE)
    assert pacer.delay("K", "SubmitFeed") <= HOUR + 1e-6
    assert pacer.delay("K", "GetFeedSubmissionList") <= HOUR + 1e-6
    clock.advance(HOUR + 1)
    assert pacer.delay("K", "SubmitFeed") == 0.0


def test_given_a_quota_exceeded_resetting_in_2099_when_the_group_is_not_hourly_then_it_blocks_at_most_restore_times_max(clock):
    pacer = Pacer(clock, Settings())
    pacer.throttled("K", "ListOrderItems", "QuotaExceeded", {"x-mws-quota-resetsOn": FAR})  # 30 × 2 s
    assert pacer.delay("K", "ListOrderItems") <= 30 * 2 + 1e-6
    pacer.throttled("K", "ListOrders", "QuotaExceeded", {}, FAR_MESSAGE)  # 6 × 60 s
    assert pacer.delay("K", "ListOrders") <= 6 * 60 + 1e-6


def test_given_quota_headers_with_a_reset_in_2099_when_observed_then_the_hour_blocks_at_most_one_hour(clock):
    pacer = Pacer(clock, Settings())
    pacer.observe("K", "SubmitFeed", {"x-mws-quota-remaining": "0.0", "x-mws-quota-resetsOn": FAR})
    assert 0 < pacer.delay("K", "SubmitFeed") <= HOUR + 1e-6


def test_given_a_bucket_key_then_its_repr_and_str_show_no_secret_and_its_fingerprint_differs_per_secret():
    right = Credentials.from_cfg(CANARY_CFG)
    wrong = Credentials.from_cfg({**CANARY_CFG, "secretAccessKey": "guess"})
    other_token = Credentials.from_cfg({**CANARY_CFG, "mwsAuthToken": "amzn.mws.other"})
    key = BucketKey("https://mws.amazonservices.com", right.seller_id, right.fingerprint)
    assert_no_canary(repr(key), str(key))
    assert right.fingerprint not in repr(key) and right.fingerprint[:6] not in repr(key)
    assert SECRET not in right.fingerprint and TOKEN not in right.fingerprint
    assert len({right.fingerprint, wrong.fingerprint, other_token.fingerprint}) == 3
    assert right.fingerprint == Credentials.from_cfg(dict(CANARY_CFG)).fingerprint


def test_given_endless_new_keys_when_reserving_then_the_buckets_stay_bounded(clock):
    pacer = Pacer(clock, Settings(), max_buckets=100)
    for n in range(1_000):
        pacer.reserve(("attacker", n), "ListOrders")
    assert len(pacer._buckets) == 100


def _far_quota_exceeded(request, writer):
    answer(writer, 503, error_body("QuotaExceeded", FAR_MESSAGE, type_="", ns=None),
           {"x-mws-quota-remaining": "0.0", "x-mws-quota-resetsOn": FAR})


async def test_given_a_fake_endpoint_answering_quota_exceeded_until_2099_for_a_victims_seller_then_the_victims_bucket_is_untouched(
        hostile, logged):
    async def fake(request, writer):
        _far_quota_exceeded(request, writer)

    async def amazon(request, writer):
        answer(writer, 200, participations("ATVPDKIKX0DER", seller=CANARY_CFG["sellerId"]))

    fake_server, real_server = await hostile(fake), await hostile(amazon)
    clock = VirtualClock()
    pacer = Pacer(clock, ALLOW_LOOPBACK)
    attacker = mws_client(fake_server.url, pacer=pacer, clock=clock,
                          cfg={**CANARY_CFG, "accessKeyId": "AKIAATTACKER", "secretAccessKey": "x", "mwsAuthToken": ""})
    with pytest.raises(Throttled):
        await attacker.call("SubmitFeed", {"FeedType": "_POST_PRODUCT_DATA_"}, body=b"<a/>")
    assert pacer.delay(attacker.bucket, "SubmitFeed") <= HOUR + 1e-6  # even its own block is bounded
    victim = mws_client(real_server.url, pacer=pacer, clock=clock, mode="run", deadline=clock.time() + 60)
    assert pacer.delay(victim.bucket, "SubmitFeed") == 0.0
    await victim.call("ListMarketplaceParticipations", {})
    assert clock.slept == 0.0
    assert_no_canary(logged())


async def test_given_thirty_calls_with_a_wrong_secret_for_a_victims_seller_then_the_victims_trigger_is_not_delayed(
        hostile, logged):
    async def amazon(request, writer):  # checks Signature V2 against the victim's secret, as Amazon would
        path, _, query = request.target.partition("?")
        params = dict(parse_qsl(query, keep_blank_values=True)) if query else request.params
        expected = reference_signature("POST", request.headers["host"], path, params, SECRET)
        if params.get("Signature") != expected:
            answer(writer, 403, error_body("SignatureDoesNotMatch", "The request signature we calculated does not match"),
                   {"x-mws-quota-remaining": "0.0", "x-mws-quota-resetsOn": FAR})
        else:
            answer(writer, 200, participations("ATVPDKIKX0DER", seller=CANARY_CFG["sellerId"]))

    server = await hostile(amazon)
    clock = VirtualClock()
    pacer = Pacer(clock, ALLOW_LOOPBACK)
    wrong = {**CANARY_CFG, "secretAccessKey": "wrong-secret"}  # seller id, key id and token known; not the secret
    for _ in range(30):
        with pytest.raises(AuthError):
            await mws_client(server.url, pacer=pacer, clock=clock, cfg=wrong).call("ListOrders", {})
        with pytest.raises(AuthError):
            await mws_client(server.url, pacer=pacer, clock=clock, cfg=wrong).call("SubmitFeed", {}, body=b"<a/>")
    victim = mws_client(server.url, pacer=pacer, clock=clock, mode="run", deadline=clock.time() + 30)
    assert pacer.delay(victim.bucket, "ListOrders") == 0.0 and pacer.delay(victim.bucket, "SubmitFeed") == 0.0
    for _ in range(6):  # the victim's whole burst is still there, and answered
        await victim.call("ListMarketplaceParticipations", {})
        assert pacer.reserve(victim.bucket, "ListOrders") == 0.0 and pacer.reserve(victim.bucket, "SubmitFeed") == 0.0
    assert clock.slept == 0.0 and len(server.requests) == 66
    assert_no_canary(logged())


async def test_given_a_403_with_quota_headers_when_observed_then_its_own_bucket_learns_nothing_either(hostile):
    async def denied(request, writer):
        answer(writer, 403, error_body("InvalidAccessKeyId", "Invalid key"),
               {"x-mws-quota-remaining": "0.0", "x-mws-quota-resetsOn": FAR})

    server = await hostile(denied)
    clock = VirtualClock()
    pacer = Pacer(clock, ALLOW_LOOPBACK)
    client = mws_client(server.url, pacer=pacer, clock=clock)
    with pytest.raises(AuthError):
        await client.call("GetFeedSubmissionCount", {})
    assert pacer.delay(client.bucket, "GetFeedSubmissionCount") == 0.0


def test_given_the_same_seller_on_two_endpoints_or_with_two_secrets_then_the_buckets_are_separate(clock):
    from app.mws.client import MWSClient
    import httpx

    def key(url: str, secret: str) -> BucketKey:
        cfg = {**CANARY_CFG, "endpointUrl": url, "secretAccessKey": secret}
        return MWSClient(Credentials.from_cfg(cfg), http=httpx.AsyncClient(), clock=clock, settings=Settings()).bucket

    keys = {key("https://mws.amazonservices.com", SECRET), key("https://mws-eu.amazonservices.com", SECRET),
            key("https://mws.amazonservices.com", "other")}
    assert len(keys) == 3
    assert key("https://MWS.amazonservices.com/", SECRET) == key("https://mws.amazonservices.com", SECRET)
