"""Paging loop guard: a NextToken that repeats, or one over 64 KB, stops a listing with MalformedResponse.

Against a server of the test's own on 127.0.0.1 that keeps answering the same NextToken (which once
took listOrderItems to 1.1 GB in 30 s and made the trigger emit one order thousands of times a poll).
"""
from __future__ import annotations

import pytest

from app.mws.client import MAX_NEXT_TOKEN_BYTES
from app.mws.errors import MalformedResponse

from .builders import list_order_items
from .hostile import answer, assert_no_canary, mws_client

LOOP_TOKEN = "TE9PUC1UT0tFTi1zZWNyZXQtbG9va2luZw=="


def _items_page(token: str | None, operation: str = "ListOrderItems") -> str:
    body = list_order_items(items=3)
    if operation != "ListOrderItems":
        body = body.replace("ListOrderItemsResponse", f"{operation}Response").replace(
            "ListOrderItemsResult", f"{operation}Result")
    return body.replace("<AmazonOrderId>", f"<NextToken>{token}</NextToken><AmazonOrderId>") if token else body


def _looping(tokens):
    async def handler(request, writer):
        action = request.params.get("Action", "")
        answer(writer, 200, _items_page(tokens(len(request.params)), action))
    return handler


async def test_given_a_server_repeating_one_next_token_when_paging_then_malformed_response_naming_the_repeat_after_two_requests(
        hostile, logged):
    server = await hostile(_looping(lambda _: LOOP_TOKEN))
    client = mws_client(server.url, mode="run")
    pages = 0
    with pytest.raises(MalformedResponse) as info:
        async for _ in client.pages("ListOrderItems", {"AmazonOrderId": "902-3159896-1390916"}):
            pages += 1
    assert pages == 1 and len(server.requests) == 2  # the repeated page is not yielded
    assert "already" in info.value.message and "page 2" in info.value.message
    assert LOOP_TOKEN not in info.value.message and info.value.retriable is False
    assert_no_canary(info.value.as_error(), logged())


async def test_given_a_server_cycling_through_a_few_tokens_when_paging_then_the_first_repeat_stops_it(hostile):
    sequence = iter(["A", "B", "C", "A", "B", "C"] * 100)
    server = await hostile(_looping(lambda _: next(sequence)))
    with pytest.raises(MalformedResponse):
        async for _ in mws_client(server.url, mode="run").pages("ListOrderItems", {"AmazonOrderId": "1"}):
            pass
    assert len(server.requests) == 4


async def test_given_a_resumed_listing_whose_answer_repeats_the_resume_token_then_it_stops_before_yielding(hostile):
    server = await hostile(_looping(lambda _: LOOP_TOKEN))
    pages = []
    with pytest.raises(MalformedResponse):
        async for page in mws_client(server.url, mode="run").pages("ListOrderItems", next_token=LOOP_TOKEN):
            pages.append(page)
    assert pages == [] and len(server.requests) == 1


async def test_given_a_next_token_over_64_kb_when_paging_then_malformed_response_and_no_follow_up(hostile, logged):
    server = await hostile(_looping(lambda _: "x" * (MAX_NEXT_TOKEN_BYTES + 1)))
    with pytest.raises(MalformedResponse) as info:
        async for _ in mws_client(server.url, mode="run").pages("ListOrderItems", {"AmazonOrderId": "1"}):
            pass
    assert len(server.requests) == 1 and "NextToken over" in info.value.message and not info.value.retriable
    assert_no_canary(logged())


async def test_given_distinct_tokens_then_paging_follows_them_to_the_last_page(hostile):
    tokens = iter(["T1", "T2", None])
    server = await hostile(_looping(lambda _: next(tokens)))
    pages = [p async for p in mws_client(server.url).pages("ListOrderItems", {"AmazonOrderId": "1"})]
    assert len(pages) == 3 and [len(p.data["orderItems"]) for p in pages] == [3, 3, 3]
