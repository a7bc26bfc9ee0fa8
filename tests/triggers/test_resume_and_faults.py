"""Get New And Updated Orders: windows cut short and resumed, sample mode, throttling, bad input, NDJSON."""
from __future__ import annotations

import base64
import json
from collections import Counter

from orders_helpers import QUIET, data_bodies, emitted_orders, errors, in_window, iso, poll_until_done

from app.dates import parse_date

PAGE = 10


async def test_given_a_short_step_timeout_when_the_pacing_wait_would_pass_it_then_rebound_and_resume_loses_nothing(make_service):
    svc = await make_service(order_every=QUIET, step_timeout_ms=150_000)
    fields = {"maxResultsPerPage": PAGE}  # from 1970: ~240 orders, 24 pages; ListOrders allows 6 then 1/min
    first = await svc.trigger(fields)
    assert first["outcome"] == "rebound"
    assert [e["type"] for e in first["events"]][-1] == "rebound"
    cut = first["snapshot"]
    assert cut["lastUpdatedAfter"] == "1970-01-01T00:00:00Z" and cut["nextToken"]
    echoed = iso(svc.calls[0].at - 120)
    results = [first] + await poll_until_done(svc, fields, cut)
    assert [r["outcome"] for r in results][-1] == "ok"
    for result in results[:-1]:
        assert result["snapshot"]["lastUpdatedAfter"] == "1970-01-01T00:00:00Z"  # the start waits
    # Each resumed call starts where the last one stopped: with its NextToken.
    resumed = [c for c in svc.calls if c.params.get("NextToken") in {r["snapshot"].get("nextToken") for r in results}]
    assert len(resumed) >= len(results) - 1
    ids = [o["amazonOrderId"] for r in results for o in emitted_orders(r)]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert set(ids) == set(in_window(svc, "1970-01-01T00:00:00Z", echoed))
    assert parse_date(results[-1]["snapshot"]["lastUpdatedAfter"]) == parse_date(echoed)
    assert svc.actions().count("ListOrders") == 1  # never restarted


async def test_given_a_fault_that_outlasts_the_retries_when_polled_then_rebound_and_the_next_call_resumes_there(make_service):
    svc = await make_service(order_every=QUIET)
    start = iso(svc.clock.time() - 3 * 86400)
    fields = {"startTime": start, "maxResultsPerPage": PAGE}
    svc.sandbox.faults.add("ListOrdersByNextToken", "500", 5)  # the client retries 4 times, then gives up
    first = await svc.trigger(fields)
    assert first["outcome"] == "rebound"
    assert first["snapshot"]["lastUpdatedAfter"] == start and first["snapshot"]["nextToken"]
    assert len(emitted_orders(first)) == PAGE
    before = len(svc.calls)
    second = await svc.trigger(fields, snapshot=first["snapshot"])
    assert second["outcome"] == "ok", errors(second)
    resumed = svc.calls[before]
    assert resumed.action == "ListOrdersByNextToken"
    assert resumed.params["NextToken"] == first["snapshot"]["nextToken"]
    assert svc.actions().count("ListOrders") == 1
    ids = [o["amazonOrderId"] for o in emitted_orders(first) + emitted_orders(second)]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(in_window(svc, start, second["snapshot"]["lastUpdatedAfter"]))


async def test_given_fetch_all_cut_short_when_resumed_then_nothing_is_lost_or_repeated(make_service):
    svc = await make_service(order_every=QUIET)
    start = iso(svc.clock.time() - 3 * 86400)
    fields = {"startTime": start, "maxResultsPerPage": PAGE, "emitBehavior": "fetchAll"}
    svc.sandbox.faults.add("ListOrdersByNextToken", "drop", 5)
    first = await svc.trigger(fields)
    assert first["outcome"] == "rebound"
    second = await svc.trigger(fields, snapshot=first["snapshot"])
    ids = [o["amazonOrderId"] for o in emitted_orders(first) + emitted_orders(second)]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(in_window(svc, start, second["snapshot"]["lastUpdatedAfter"]))


def _tamper(token: str) -> str:
    raw = bytearray(base64.b64decode(token))
    raw[len(raw) // 3] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


async def test_given_a_corrupted_next_token_in_the_snapshot_when_polled_then_the_window_restarts_from_its_start(make_service):
    svc = await make_service(order_every=QUIET)
    start = iso(svc.clock.time() - 3 * 86400)
    fields = {"startTime": start, "maxResultsPerPage": PAGE}
    svc.sandbox.faults.add("ListOrdersByNextToken", "500", 5)
    first = await svc.trigger(fields)
    assert first["snapshot"]["nextToken"]
    tampered = dict(first["snapshot"], nextToken=_tamper(first["snapshot"]["nextToken"]))
    second = await svc.trigger(fields, snapshot=tampered)
    assert second["outcome"] == "ok", errors(second)
    after_first = svc.actions()[svc.actions().index("ListOrders") + 1:]
    assert "ListOrders" in after_first  # restarted from the window start
    restart = [c for c in svc.calls if c.action == "ListOrders"][-1]
    assert restart.params["LastUpdatedAfter"] == start
    # At least once, never lost: the whole window came in the second call.
    window = set(in_window(svc, start, second["snapshot"]["lastUpdatedAfter"]))
    assert {o["amazonOrderId"] for o in emitted_orders(second)} == window


async def test_given_sample_mode_when_polled_then_one_request_at_most_a_page_and_the_snapshot_stays(
        make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    snapshot = {"lastUpdatedAfter": "2026-09-01T00:00:00Z"}
    result = await svc.trigger({"maxResultsPerPage": 7}, snapshot=snapshot, mode="sample")
    assert result["outcome"] == "ok"
    assert len(backend.amazon_calls(svc)) == 1
    assert 1 <= len(emitted_orders(result)) <= 7
    assert result["snapshot"] == snapshot
    assert [e for e in result["events"] if e["type"] == "snapshot"] == []


async def test_given_sample_mode_when_amazon_throttles_then_error_request_throttled_at_once(make_service):
    svc = await make_service(order_every=QUIET)
    svc.sandbox.faults.add("ListOrders", "503", 1)
    result = await svc.trigger(mode="sample")
    assert result["outcome"] == "error"
    assert errors(result)[0]["code"] == "RequestThrottled" and errors(result)[0]["retriable"] is True
    assert len(svc.calls) == 1 and svc.clock.slept == 0
    assert result["snapshot"] == {}


async def test_given_run_mode_when_amazon_throttles_then_the_wait_is_at_least_throttle_retry_delay(make_service):
    svc = await make_service(order_every=QUIET, throttle_retry_delay_ms=45_000)
    svc.sandbox.faults.add("ListOrders", "503", 2)
    result = await svc.trigger({"startTime": iso(svc.clock.time() - 86400)})
    assert result["outcome"] == "ok", errors(result)
    assert svc.actions() == ["ListOrders"] * 3
    gaps = [b.at - a.at for a, b in zip(svc.calls, svc.calls[1:])]
    assert all(gap >= 45 for gap in gaps), gaps
    assert emitted_orders(result)


async def test_given_bad_dates_or_page_size_when_executed_then_422_names_the_field_and_no_call_is_made(make_service):
    svc = await make_service(order_every=QUIET)
    cases = {
        "cfg.startTime": {"startTime": "yesterday at noon"},
        "cfg.endTime": {"startTime": "2026-09-10T00:00:00Z", "endTime": "2026-09-01T00:00:00.000 +0000"},
        "cfg.maxResultsPerPage": {"maxResultsPerPage": 0},
    }
    for path, fields in cases.items():
        response = await svc.post_trigger(fields)
        assert response.status_code == 422, response.text
        assert path in [d["path"] for d in response.json()["detail"]]
        assert "noon" not in response.text
    response = await svc.post_trigger({"endTime": "not a date"})
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "cfg.endTime"
    assert svc.calls == []


async def test_given_a_hand_edited_snapshot_with_a_bad_date_when_executed_then_422_names_it_and_no_call_is_made(
        make_service):
    svc = await make_service(order_every=QUIET)
    response = await svc.post_trigger(snapshot={"lastUpdatedAfter": "last tuesday", "nextToken": 42})
    assert response.status_code == 422, response.text
    assert {d["path"] for d in response.json()["detail"]} == {"snapshot.lastUpdatedAfter", "snapshot.nextToken"}
    assert "tuesday" not in response.text
    assert svc.calls == []


async def test_given_ndjson_when_the_trigger_streams_then_orders_come_line_by_line_and_end_carries_the_outcome(make_service):
    svc = await make_service(order_every=QUIET)
    start = iso(svc.clock.time() - 3 * 86400)
    response = await svc.post_trigger({"startTime": start, "maxResultsPerPage": PAGE},
                                      headers={"Accept": "application/x-ndjson"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines() if line]
    end = lines[-1]
    assert end["type"] == "end" and end["outcome"] == "ok"
    snapshots = [line["body"] for line in lines if line["type"] == "snapshot"]
    assert end["snapshot"] == snapshots[-1] and end["snapshot"]["lastUpdatedAfter"] != start
    orders = [line["body"]["amazonOrderId"] for line in lines if line["type"] == "data"]
    assert len(orders) == len(set(orders)) == len(in_window(svc, start, end["snapshot"]["lastUpdatedAfter"]))


async def test_given_ndjson_and_a_cut_window_when_streamed_then_end_says_rebound_with_the_resume_point(make_service):
    svc = await make_service(order_every=QUIET)
    svc.sandbox.faults.add("ListOrdersByNextToken", "malformed", 5)
    response = await svc.post_trigger({"startTime": iso(svc.clock.time() - 3 * 86400), "maxResultsPerPage": PAGE},
                                      headers={"Accept": "application/x-ndjson"})
    lines = [json.loads(line) for line in response.text.splitlines() if line]
    assert [line["type"] for line in lines][-2:] == ["rebound", "end"]
    assert lines[-1]["outcome"] == "rebound" and lines[-1]["snapshot"]["nextToken"]
    assert data_bodies({"events": lines})


def _lose_the_next_token_once(sandbox) -> None:
    """Amazon forgets a NextToken mid-window (the next ByNextToken answers NextTokenCorrupted once)."""
    from app.sandbox.mws.errors import next_token_corrupted

    codec, real = sandbox.tokens, sandbox.tokens.decode
    state = {"lost": False}

    def decode(*args, **kwargs):
        if not state["lost"]:
            state["lost"] = True
            raise next_token_corrupted()
        return real(*args, **kwargs)

    codec.decode = decode


async def test_given_amazon_loses_the_token_mid_window_with_fetch_all_when_polled_then_the_one_event_has_no_duplicates(make_service):
    svc = await make_service(order_every=QUIET)
    start = iso(svc.clock.time() - 3 * 86400)
    _lose_the_next_token_once(svc.sandbox)
    result = await svc.trigger({"startTime": start, "maxResultsPerPage": PAGE, "emitBehavior": "fetchAll"})
    assert result["outcome"] == "ok", errors(result)
    assert svc.actions().count("ListOrders") == 2  # restarted once
    (body,) = data_bodies(result)
    ids = [o["amazonOrderId"] for o in body["orders"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(in_window(svc, start, result["snapshot"]["lastUpdatedAfter"]))


async def test_given_amazon_loses_the_token_mid_window_when_emitting_individually_then_at_least_once(make_service):
    svc = await make_service(order_every=QUIET)
    start = iso(svc.clock.time() - 3 * 86400)
    _lose_the_next_token_once(svc.sandbox)
    result = await svc.trigger({"startTime": start, "maxResultsPerPage": PAGE})
    assert result["outcome"] == "ok", errors(result)
    ids = [o["amazonOrderId"] for o in emitted_orders(result)]
    assert set(ids) == set(in_window(svc, start, result["snapshot"]["lastUpdatedAfter"]))
    assert len(ids) == len(set(ids)) + PAGE  # the first page came twice: the documented exception


async def test_given_a_start_time_within_amazons_last_two_minutes_when_polled_then_nothing_and_no_error(make_service):
    svc = await make_service(order_every=60)
    start = iso(svc.clock.time() - 30)
    first = await svc.trigger({"startTime": start})
    assert first["outcome"] == "ok" and first["events"] == [] and first["snapshot"] == {}
    svc.clock.advance(10 * 60)
    later = await svc.trigger({"startTime": start}, snapshot=first["snapshot"])
    assert later["outcome"] == "ok" and svc.calls[-1].params["LastUpdatedAfter"] == start
    assert {o["amazonOrderId"] for o in emitted_orders(later)} == set(
        in_window(svc, start, later["snapshot"]["lastUpdatedAfter"]))
    assert len(emitted_orders(later)) >= 5


async def test_given_a_throttle_wait_longer_than_the_step_timeout_when_polled_then_rebound_and_the_next_poll_goes_on(make_service):
    svc = await make_service(order_every=QUIET, step_timeout_ms=10_000)  # THROTTLE_RETRY_DELAY is 30 s
    start = iso(svc.clock.time() - 86400)
    svc.sandbox.faults.add("ListOrders", "503", 1)
    first = await svc.trigger({"startTime": start})
    assert first["outcome"] == "rebound" and emitted_orders(first) == []
    assert first["snapshot"] == {"lastUpdatedAfter": start}
    assert len(svc.calls) == 1
    # Amazon said the bucket is empty: ListOrders gets a token back a minute later, not after 30 s.
    retry_after = first["events"][-1]["retryAfterMs"]
    assert retry_after >= 60_000
    svc.clock.advance(retry_after / 1000)
    second = await svc.trigger({"startTime": start}, snapshot=first["snapshot"])
    assert second["outcome"] == "ok", errors(second)
    assert {o["amazonOrderId"] for o in emitted_orders(second)} == set(
        in_window(svc, start, second["snapshot"]["lastUpdatedAfter"]))
