"""MAX_BODY_BYTES (hardening, line 1): a body over the limit answers 413 in the API's error shape before
anything parses it — by its Content-Length, or by counting a chunked body, whose reading stops at the
limit. The sandbox's routes are not behind it; a bad setting names the variable."""
from __future__ import annotations

import json
import logging

import httpx
import pytest

from app.settings import Settings, SettingsError

from api_helpers import CANARY, creds

LIMIT = 4096


def too_large_body() -> bytes:
    ids = ["not-an-order-id"] * 1000  # ~18 kB of bad ids: bad input that must never be looked at
    return json.dumps({"cfg": creds(), "msg": {"body": {"amazonOrderIds": ids}}}).encode()


def assert_413(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    assert response.json() == {"detail": [{"path": "body", "message": f"is larger than the {LIMIT} bytes this service accepts (MAX_BODY_BYTES)"}]}
    assert response.headers["x-request-id"]


async def test_given_a_content_length_over_max_body_bytes_when_posted_then_413_and_nothing_parsed(make_client, caplog):
    caplog.set_level(logging.DEBUG)
    client = await make_client(Settings(max_body_bytes=LIMIT))
    body = too_large_body()
    response = await client.post("/actions/getOrder/execute", content=body, headers={"Content-Type": "application/json"})
    assert_413(response)
    assert CANARY not in response.text and CANARY not in caplog.text


async def test_given_a_chunked_body_over_max_body_bytes_when_posted_then_413_and_reading_stops_at_the_limit(make_client):
    client = await make_client(Settings(max_body_bytes=LIMIT))
    sent: list[int] = []

    async def chunks():
        for _ in range(100):  # 100 kB offered, 1 kB a chunk
            sent.append(1024)
            yield b" " * 1024

    response = await client.post("/verify-credentials", content=chunks())
    assert_413(response)
    assert sum(sent) <= LIMIT + 1024  # the chunk that passed the limit was the last one read


async def test_given_a_chunked_body_within_max_body_bytes_when_posted_then_the_route_reads_it_whole(make_client):
    client = await make_client(Settings(max_body_bytes=LIMIT))
    payload = json.dumps({"cfg": {"sellerId": "A1SELLER"}}).encode()

    async def chunks():
        for i in range(0, len(payload), 7):
            yield payload[i:i + 7]

    response = await client.post("/verify-credentials", content=chunks())
    assert response.status_code == 422  # parsed and checked: the other credentials are missing
    assert {p["path"] for p in response.json()["detail"]} == {"cfg.accessKeyId", "cfg.secretAccessKey", "cfg.marketplaceId"}


async def test_given_a_body_exactly_at_max_body_bytes_when_posted_then_it_is_accepted(make_client):
    client = await make_client(Settings(max_body_bytes=LIMIT))
    payload = json.dumps({"cfg": {}}).encode()
    payload += b" " * (LIMIT - len(payload))
    response = await client.post("/verify-credentials", content=payload)
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "cfg.sellerId"


async def test_given_a_large_body_to_the_sandbox_when_posted_then_the_api_limit_does_not_apply(make_client):
    from app.sandbox import Sandbox

    client = await make_client(Settings(max_body_bytes=LIMIT), sandbox=Sandbox(seed=1, order_every=10**9))
    response = await client.post("/sandbox/mws/Orders/2013-09-01", content=b"Action=GetServiceStatus&" + b"x" * (2 * LIMIT),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code != 413


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "1.5", "16MB"])
def test_given_a_bad_max_body_bytes_when_settings_load_then_settings_error_names_it(raw):
    with pytest.raises(SettingsError, match="MAX_BODY_BYTES"):
        Settings.from_env({"MAX_BODY_BYTES": raw})


def test_given_no_max_body_bytes_when_settings_load_then_16_mib_and_a_20_minute_dedup_window():
    settings = Settings.from_env({})
    assert (settings.max_body_bytes, settings.feed_dedup_window_s) == (16_777_216, 1200)
    assert Settings.from_env({"MAX_BODY_BYTES": "1024", "FEED_DEDUP_WINDOW": "0"}).feed_dedup_window_s == 0


@pytest.mark.parametrize("raw", ["soon", "-5", "1.5"])
def test_given_a_bad_feed_dedup_window_when_settings_load_then_settings_error_names_it(raw):
    with pytest.raises(SettingsError, match="FEED_DEDUP_WINDOW"):
        Settings.from_env({"FEED_DEDUP_WINDOW": raw})
