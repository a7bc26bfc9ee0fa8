"""The executor: bounded streaming with backpressure, cancellation, and the end line."""
from __future__ import annotations

import asyncio
import json

import httpx

from app.clock import VirtualClock
from app.runtime.context import Services
from app.runtime.errors import InputInvalid
from app.runtime.executor import Executor, prepare
from app.settings import Settings

CFG = {"sellerId": "S", "accessKeyId": "A", "secretAccessKey": "K", "marketplaceId": "M"}


def services() -> Services:
    return Services(settings=Settings(), clock=VirtualClock(), http=httpx.AsyncClient(transport=httpx.MockTransport(
        lambda r: httpx.Response(599))))


def echo(component, **body):
    return prepare(component.find("echo"), {"cfg": CFG, "msg": {"body": body}})


async def test_given_a_slow_reader_when_a_step_floods_events_then_it_is_held_back_by_the_bounded_queue(component):
    module = component.find("echo").module
    module.PRODUCED.clear()
    executor = Executor(services(), queue_size=4)
    stream = executor.stream(echo(component, behaviour="flood", count=10_000))
    read = 0
    async for line in stream:
        json.loads(line)
        read += 1
        for _ in range(20):  # give the step every chance to run ahead
            await asyncio.sleep(0)
        # queue (4) + the event being put + the line in hand: the step is never further ahead
        assert len(module.PRODUCED) - read <= 6
        if read == 200:
            break
    await stream.aclose()
    assert len(module.PRODUCED) < 220


async def test_given_a_stream_when_the_reader_goes_away_then_the_step_is_cancelled(component):
    module = component.find("echo").module
    module.CANCELLED = asyncio.Event()
    stream = Executor(services(), queue_size=2).stream(echo(component, behaviour="forever"))
    for _ in range(3):
        await stream.__anext__()
    await stream.aclose()
    await asyncio.wait_for(module.CANCELLED.wait(), timeout=5)


async def test_given_a_stream_when_the_step_finishes_then_the_last_line_is_end(component):
    lines = [json.loads(line) async for line in Executor(services()).stream(echo(component, behaviour="rebound"))]
    assert lines[-1] == {"type": "end", "outcome": "rebound", "snapshot": {"cursor": "abc"}}


async def test_given_bad_input_when_prepared_then_input_invalid_before_anything_runs(component):
    try:
        prepare(component.find("echo"), {"cfg": {}, "msg": {"body": {}}})
    except InputInvalid as exc:
        assert {p.path for p in exc.problems} >= {"cfg.sellerId", "msg.body.behaviour"}
    else:
        raise AssertionError("expected InputInvalid")


async def test_given_a_json_run_when_the_step_emits_then_the_result_document_is_valid_json(component):
    result = json.loads(await Executor(services()).run(echo(component, behaviour="snapshots")))
    assert result == {"outcome": "ok", "events": [{"type": "snapshot", "body": {"n": 1}},
                                                  {"type": "snapshot", "body": {"n": 2}}], "snapshot": {"n": 2}}
