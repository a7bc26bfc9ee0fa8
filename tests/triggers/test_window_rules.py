"""Get New And Updated Orders: the window rules of contract §5, against the sandbox through the step API."""
from __future__ import annotations

from collections import Counter

from orders_helpers import QUIET, data_bodies, emitted_orders, errors, in_window, iso

from app.dates import parse_date


def snapshots(result) -> list[dict]:
    return [e["body"] for e in result["events"] if e["type"] == "snapshot"]


async def test_given_no_snapshot_and_no_start_time_when_polled_then_the_window_starts_in_1970_without_a_before(make_service):
    svc = await make_service(order_every=QUIET)
    result = await svc.trigger()
    assert result["outcome"] == "ok"
    first = svc.calls[0]
    assert first.action == "ListOrders"
    assert first.params["LastUpdatedAfter"] == "1970-01-01T00:00:00Z"
    assert "LastUpdatedBefore" not in first.params
    assert first.params["MarketplaceId.Id.1"] == "ATVPDKIKX0DER"
    assert not any(k.startswith("OrderStatus") for k in first.params)  # default: every status


async def test_given_start_time_in_the_original_format_when_polled_then_it_is_sent_in_utc_z_form(make_service):
    svc = await make_service(order_every=QUIET)
    await svc.trigger({"startTime": "2026-09-01T10:00:00.000 +0200"})
    assert svc.calls[0].params["LastUpdatedAfter"] == "2026-09-01T08:00:00Z"


async def test_given_a_snapshot_and_a_start_time_when_polled_then_the_snapshot_wins(make_service):
    svc = await make_service(order_every=QUIET)
    await svc.trigger({"startTime": "2026-01-01T00:00:00Z"}, snapshot={"lastUpdatedAfter": "2026-09-20T00:00:00Z"})
    assert svc.calls[0].params["LastUpdatedAfter"] == "2026-09-20T00:00:00Z"


async def test_given_an_end_time_when_polled_then_it_is_sent_as_last_updated_before_and_becomes_the_start(make_service):
    svc = await make_service(order_every=QUIET)
    end = iso(svc.clock.time() - 86400)
    result = await svc.trigger({"startTime": iso(svc.clock.time() - 3 * 86400), "endTime": end})
    assert svc.calls[0].params["LastUpdatedBefore"] == end
    assert result["snapshot"] == {"lastUpdatedAfter": end}
    assert {o["amazonOrderId"] for o in emitted_orders(result)} == set(
        in_window(svc, iso(svc.clock.time() - 3 * 86400), end))


async def test_given_a_window_of_several_pages_when_polled_then_each_order_comes_once_and_amazons_echo_is_the_next_start(make_service):
    svc = await make_service(order_every=QUIET)
    start = iso(svc.clock.time() - 3 * 86400)
    # More pages than ListOrders' burst of 6, so pacing moves the clock while the window is read.
    result = await svc.trigger({"startTime": start, "maxResultsPerPage": 3})
    assert result["outcome"] == "ok", errors(result)
    assert svc.actions()[0] == "ListOrders" and svc.actions().count("ListOrdersByNextToken") >= 6
    assert svc.calls[0].params["MaxResultsPerPage"] == "3"
    echoed = svc.calls[0].at - 120  # the sandbox echoes now − 2 min of the first call
    assert parse_date(result["snapshot"]["lastUpdatedAfter"]) == parse_date(iso(echoed))
    assert svc.clock.time() != svc.calls[0].at  # pacing moved the local clock: it is not the source
    ids = [o["amazonOrderId"] for o in emitted_orders(result)]
    assert Counter(ids).most_common(1)[0][1] == 1
    assert set(ids) == set(in_window(svc, start, iso(echoed)))
    # The start moves once, at the end: every snapshot before the last keeps the window start.
    assert all(s["lastUpdatedAfter"] == start for s in snapshots(result)[:-1])
    assert "nextToken" not in result["snapshot"]


async def test_given_a_finished_window_when_polled_again_after_changes_then_only_the_changes_come(make_service, backend):
    svc = backend.use(await make_service(order_every=60))
    first = await svc.trigger({"startTime": iso(svc.clock.time() - 86400)})
    watermark = first["snapshot"]["lastUpdatedAfter"]
    seen_before = {backend.version(o) for o in emitted_orders(first)}
    svc.clock.advance(15 * 60)  # the sandbox adds or updates an order every minute
    second = await svc.trigger({"startTime": "2000-01-01T00:00:00Z"}, snapshot=first["snapshot"])
    assert parse_date(backend.page_calls(svc)[-1].params[backend.after_param]) == parse_date(watermark)
    got = {backend.version(o) for o in emitted_orders(second)}
    end = second["snapshot"]["lastUpdatedAfter"]
    expected = {(i, parse_date(d)) for i, d in in_window(svc, watermark, end).items()}
    # Amazon's bounds are inclusive: a change exactly at the echoed end may come now (and is then skipped once).
    at_end = {(i, parse_date(d)) for i, d in svc.orders_truth().items() if parse_date(d) == parse_date(end)}
    assert expected <= got <= expected | at_end and len(got) >= 10
    assert not got & seen_before
    # An immediate third poll finds nothing new.
    third = await svc.trigger(snapshot=second["snapshot"])
    assert emitted_orders(third) == [] and third["outcome"] == "ok"


async def test_given_the_start_reached_the_end_time_when_polled_then_no_call_is_made_and_nothing_emitted(make_service):
    svc = await make_service(order_every=QUIET)
    cfg = {"startTime": iso(svc.clock.time() - 86400), "endTime": iso(svc.clock.time() - 3600)}
    first = await svc.trigger(cfg)
    assert first["snapshot"]["lastUpdatedAfter"] == cfg["endTime"]
    calls = len(svc.calls)
    again = await svc.trigger(cfg, snapshot=first["snapshot"])
    assert len(svc.calls) == calls
    assert again == {"outcome": "ok", "events": [], "snapshot": first["snapshot"]}


async def test_given_unshipped_alone_when_polled_then_partially_shipped_is_sent_too(make_service):
    svc = await make_service(order_every=QUIET)
    result = await svc.trigger({"orderStatuses": ["Unshipped"], "startTime": iso(svc.clock.time() - 5 * 86400)})
    assert result["outcome"] == "ok", errors(result)
    statuses = {v for k, v in svc.calls[0].params.items() if k.startswith("OrderStatus.Status.")}
    assert statuses == {"Unshipped", "PartiallyShipped"}
    assert {o["orderStatus"] for o in emitted_orders(result)} <= {"Unshipped", "PartiallyShipped"}


async def test_given_fetch_page_when_polled_then_one_event_per_page(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    start = iso(svc.clock.time() - 3 * 86400)
    result = await svc.trigger({"startTime": start, "maxResultsPerPage": 10, "emitBehavior": "fetchPage"})
    bodies = data_bodies(result)
    pages = backend.page_calls(svc)
    assert len(bodies) == len(pages) >= 3
    assert all(set(b) == {"orders"} and 1 <= len(b["orders"]) <= 10 for b in bodies)
    ids = [o[backend.id_key] for o in emitted_orders(result)]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(
        in_window(svc, start, result["snapshot"]["lastUpdatedAfter"]))


async def test_given_fetch_all_when_polled_then_one_event_carries_the_whole_window(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    start = iso(svc.clock.time() - 3 * 86400)
    result = await svc.trigger({"startTime": start, "maxResultsPerPage": 10, "emitBehavior": "fetchAll"})
    bodies = data_bodies(result)
    assert len(bodies) == 1 and set(bodies[0]) == {"orders"}
    ids = [o[backend.id_key] for o in bodies[0]["orders"]]
    assert len(ids) == len(set(ids)) > 10
    assert set(ids) == set(in_window(svc, start, result["snapshot"]["lastUpdatedAfter"]))


def _keys(value, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            _keys(v, out)
    elif isinstance(value, list):
        for v in value:
            _keys(v, out)
    return out


async def test_given_any_emit_behavior_when_orders_are_emitted_then_they_validate_and_keys_are_lower_camel_case(make_service):
    svc = await make_service(order_every=QUIET)
    validator = await svc.out_validator("triggers", "getNewAndUpdatedOrders")
    for behavior in ("emitIndividually", "fetchPage", "fetchAll"):
        result = await svc.trigger({"startTime": iso(svc.clock.time() - 5 * 86400), "emitBehavior": behavior})
        assert data_bodies(result)
        for body in data_bodies(result):
            problems = [e.message[:200] for e in validator.iter_errors(body)]
            assert not problems, problems
            assert all(k[0].islower() for k in _keys(body, set())), sorted(_keys(body, set()))
    order = emitted_orders(result)[0]
    assert {"amazonOrderId", "lastUpdateDate", "orderStatus", "purchaseDate"} <= set(order)
    assert isinstance(order["isPrime"], bool) and isinstance(order["numberOfItemsShipped"], int)
