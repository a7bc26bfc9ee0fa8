"""Hostile XML from "Amazon": every answer refused with a MalformedResponse event, nothing read, memory bounded.

The getOrder action runs through the step API with an endpoint served by an httpx.MockTransport that
answers each request with one hostile body: an XXE entity pointing at a file holding a canary, an
external DTD, the same in UTF-16 (past any byte scan), a billion-laughs bomb, a 50 MB body streamed
without a Content-Length, and 10,000 levels of nesting. Each must end as one `error` event with code
MalformedResponse (requestId null or the x-mws-request-id header's), after a bounded number of
requests (run mode retries a transient-looking body at most 4 times, on the virtual clock), with the
canary in no answer and no log line, and the process's memory rising far less than 200 MB.
"""
from __future__ import annotations

import gc
import logging
import resource
import sys
import tracemalloc
from typing import AsyncIterator, Callable

import httpx
import pytest

from app.settings import PROJECT_ROOT, Settings

COMPONENT = PROJECT_ROOT / "component.json"
ENDPOINT = "http://amazon.test"
HEADER_REQUEST_ID = "hostile-0000-1111"
CANARY_TEXT = "CANARY-FILE-CONTENT-7f3a9"
MAX_RISE_MB = 200
NS = "https://mws.amazonservices.com/Orders/2013-09-01"


def cfg() -> dict:
    return {"sellerId": "A1SELLER", "accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "secret",
            "marketplaceId": "ATVPDKIKX0DER", "endpointUrl": ENDPOINT}


def xxe(path: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{path}">]>'
            f'<GetOrderResponse xmlns="{NS}"><GetOrderResult><Orders><Order>'
            f'<AmazonOrderId>&xxe;</AmazonOrderId></Order></Orders></GetOrderResult></GetOrderResponse>').encode()


def external_dtd(path: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE GetOrderResponse SYSTEM "file://{path}">'
            f'<GetOrderResponse xmlns="{NS}"><GetOrderResult><Orders/></GetOrderResult></GetOrderResponse>').encode()


def xxe_utf16(path: str) -> bytes:
    return xxe(path).decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")


def billion_laughs(_: str) -> bytes:
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', '<!ENTITY lol "lol">']
    lines += [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    lines += ["]>", f'<GetOrderResponse xmlns="{NS}"><GetOrderResult>&lol9;</GetOrderResult></GetOrderResponse>']
    return "\n".join(lines).encode()


def deep(_: str) -> bytes:
    depth = 10_000
    return (f'<GetOrderResponse xmlns="{NS}"><GetOrderResult>' + "<a>" * depth + "</a>" * depth
            + "</GetOrderResult></GetOrderResponse>").encode()


async def fifty_mb() -> AsyncIterator[bytes]:
    """50 MB of well-formed-looking XML, streamed in 1 MB chunks with no Content-Length."""
    yield f'<GetOrderResponse xmlns="{NS}"><GetOrderResult><Orders>'.encode()
    chunk = b"<Order><AmazonOrderId>902-3159896-1390916</AmazonOrderId></Order>" * 16_000  # ~1 MB
    for _ in range(50):
        yield chunk
    yield b"</Orders></GetOrderResult></GetOrderResponse>"


class Hostile:
    """The transport: every request answered by `make(path)`; counts requests and where they went."""

    def __init__(self, make: Callable[[str], bytes] | None, path: str) -> None:
        self.make, self.path, self.requests = make, path, 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == "amazon.test"  # nothing else is ever asked (no DTD or entity fetched)
        self.requests += 1
        headers = {"x-mws-request-id": HEADER_REQUEST_ID, "Content-Type": "text/xml"}
        if self.make is None:
            return httpx.Response(200, headers=headers, content=fifty_mb())
        return httpx.Response(200, headers=headers, content=self.make(self.path))


@pytest.fixture
def canary_file(tmp_path):
    path = tmp_path / "canary.txt"
    path.write_text(CANARY_TEXT)
    return path


@pytest.fixture
def logs(capsys, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "uvicorn.access", "app"):
        caplog.set_level(logging.DEBUG, logger=name)

    def collect() -> str:
        from app.logs import JsonFormatter
        records = "\n".join(JsonFormatter().format(r) + "\n" + r.getMessage() for r in caplog.records)
        return capsys.readouterr().err + "\n" + records
    return collect


def peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


BODIES = {"xxe-file-entity": xxe, "external-dtd": external_dtd, "xxe-utf16": xxe_utf16,
          "billion-laughs": billion_laughs, "deep-nesting-10000": deep, "body-50mb": None}


@pytest.mark.parametrize("mode", ["run", "sample"])
@pytest.mark.parametrize("name", list(BODIES))
async def test_given_a_hostile_answer_when_get_order_then_a_malformed_response_error_and_nothing_leaks(
        make_client, canary_file, logs, name, mode):
    hostile = Hostile(BODIES[name], str(canary_file))
    client = await make_client(Settings(step_timeout_ms=600_000, throttle_retry_delay_ms=1_000, endpoint_allowlist=("http://amazon.test", "http://mws.test")),
                               transport=httpx.MockTransport(hostile), component_path=COMPONENT)
    gc.collect()
    rss_before = peak_rss_mb()
    tracemalloc.start()
    try:
        response = await client.post("/actions/getOrder/execute", json={
            "cfg": cfg(), "msg": {"body": {"amazonOrderIds": ["902-3159896-1390916"]}}, "mode": mode})
        _, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_rise = peak_rss_mb() - rss_before

    assert response.status_code == 200, response.text
    result = response.json()
    assert result["outcome"] == "error"
    errors = [e["error"] for e in result["events"] if e["type"] == "error"]
    assert [e["code"] for e in errors] == ["MalformedResponse"]
    assert errors[0]["requestId"] in (None, HEADER_REQUEST_ID)
    assert not [e for e in result["events"] if e["type"] == "data"]
    # Bounded: sample mode asks once; run mode retries a transient-looking body at most 4 times.
    assert 1 <= hostile.requests <= (1 if mode == "sample" else 5)
    assert CANARY_TEXT not in response.text
    assert CANARY_TEXT not in logs()
    assert traced_peak < MAX_RISE_MB * 1024 * 1024, f"{traced_peak / 2**20:.0f} MB traced"
    assert rss_rise < MAX_RISE_MB, f"peak RSS rose {rss_rise:.0f} MB"


async def test_given_a_dtd_refusal_then_it_is_final_and_not_retried(make_client, canary_file):
    hostile = Hostile(xxe, str(canary_file))
    client = await make_client(Settings(endpoint_allowlist=("http://amazon.test", "http://mws.test")), transport=httpx.MockTransport(hostile), component_path=COMPONENT)
    response = await client.post("/actions/getOrder/execute", json={
        "cfg": cfg(), "msg": {"body": {"amazonOrderIds": ["902-3159896-1390916"]}}, "mode": "run"})
    error = [e["error"] for e in response.json()["events"] if e["type"] == "error"][0]
    assert error["code"] == "MalformedResponse" and error["retriable"] is False
    assert hostile.requests == 1
