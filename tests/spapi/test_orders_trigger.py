"""Get New And Updated Orders on SP-API (sp-api.md §4), what is SP-API's own: paginationToken paging and
resume, the parameters kept on resume, fulfillmentStatuses, includedData, the 730-day horizon, the 429
rule. The rules shared with MWS run on both backends in tests/triggers (the `backend` fixture)."""
from __future__ import annotations

from collections import Counter

from orders_helpers import QUIET, data_bodies, emitted_orders, errors, in_window, iso, poll_until_done
from spapi_helpers import searches, spapi_out_validator

PAGE = 10


def _ids(results) -> list[str]:
    return [o["orderId"] for r in results for o in emitted_orders(r)]


async def test_given_a_window_larger_than_the_burst_when_cut_by_the_step_timeout_then_resumed_polls_emit_each_order_once(
        make_spapi):
    # searchOrders: burst 20, then one call per 180 s; 24 pages of 10 do not fit in 150 s.
    svc = await make_spapi(order_every=QUIET, step_timeout_ms=150_000)
    start = iso(svc.clock.time() - 700 * 86400)
    fields = {"startTime": start, "maxResultsPerPage": PAGE}
    first = await svc.trigger(fields)
    assert first["outcome"] == "rebound"
    cut = first["snapshot"]
    assert cut["lastUpdatedAfter"] == start and cut["nextToken"] and cut["lastUpdatedBefore"]
    results = [first] + await poll_until_done(svc, fields, cut, interval=60.0)
    assert results[-1]["outcome"] == "ok"
    before = cut["lastUpdatedBefore"]
    ids = _ids(results)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert set(ids) == set(in_window(svc, start, before))
    assert results[-1]["snapshot"]["lastUpdatedAfter"] == before  # Amazon's echo is the next start
    first_pages = [c for c in searches(svc) if "paginationToken" not in c.params]
    assert len(first_pages) == 1  # resumed by paginationToken, never restarted


async def test_given_a_resumed_page_when_sent_then_every_other_parameter_is_unchanged(make_spapi):
    svc = await make_spapi(order_every=QUIET, step_timeout_ms=150_000)
    fields = {"startTime": iso(svc.clock.time() - 700 * 86400), "maxResultsPerPage": 5,
              "orderStatuses": ["Unshipped", "Shipped"]}
    first = await svc.trigger(fields)
    await svc.trigger(fields, snapshot=first["snapshot"])
    svc.clock.advance(200)
    await svc.trigger(fields, snapshot=first["snapshot"])
    queries = [c.params for c in searches(svc)]
    assert len(queries) > 20
    base = dict(queries[0])
    for query in queries[1:]:
        assert {k: v for k, v in query.items() if k != "paginationToken"} == base
        assert query["paginationToken"]


async def test_given_an_order_status_filter_when_polled_then_fulfillment_statuses_are_sent(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    result = await svc.trigger({"startTime": iso(svc.clock.time() - 30 * 86400),
                                "orderStatuses": ["Unshipped", "PartiallyShipped", "Canceled"],
                                "includedData": ["FULFILLMENT"]})
    assert result["outcome"] == "ok", errors(result)
    sent = searches(svc)[0].params
    assert set(sent["fulfillmentStatuses"].split(",")) == {"UNSHIPPED", "PARTIALLY_SHIPPED", "CANCELLED"}
    assert {o["fulfillment"]["fulfillmentStatus"] for o in emitted_orders(result)} <= {
        "UNSHIPPED", "PARTIALLY_SHIPPED", "CANCELLED"}


async def test_given_included_data_when_polled_then_it_is_sent_and_the_orders_carry_it(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    result = await svc.trigger({"startTime": iso(svc.clock.time() - 30 * 86400), "includedData": ["BUYER", "PROCEEDS"]})
    assert result["outcome"] == "ok", errors(result)
    assert set(searches(svc)[0].params["includedData"].split(",")) == {"BUYER", "PROCEEDS"}
    orders = emitted_orders(result)
    assert orders and all("proceeds" in o for o in orders)


async def test_given_a_start_beyond_amazons_horizon_when_polled_then_it_is_clamped_to_730_days(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    result = await svc.trigger({"startTime": "2015-01-01T00:00:00Z", "maxResultsPerPage": 100}, mode="sample")
    sent = searches(svc)[0].params["lastUpdatedAfter"]
    assert sent >= iso(svc.clock.time() - 730 * 86400)[:16]
    assert result["outcome"] == "ok", errors(result)


async def test_given_a_refused_pagination_token_when_resumed_then_the_window_restarts_and_nothing_is_lost(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    start = iso(svc.clock.time() - 30 * 86400)
    snapshot = {"lastUpdatedAfter": start, "nextToken": "bm90LWEtdG9rZW4"}
    result = await svc.trigger({"startTime": start}, snapshot=snapshot)
    assert result["outcome"] == "ok", errors(result)
    tokens = [c.params.get("paginationToken") for c in searches(svc)]
    assert tokens[0] == "bm90LWEtdG9rZW4" and tokens[1] is None  # refused, then the window from its start
    assert {o["orderId"] for o in emitted_orders(result)} == set(
        in_window(svc, start, result["snapshot"]["lastUpdatedAfter"]))


async def test_given_a_429_in_sample_mode_then_an_error_at_once_with_amazons_code(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    svc.sandbox.faults.add("searchOrders", "429")
    result = await svc.trigger({}, mode="sample")
    assert result["outcome"] == "error"
    assert errors(result)[0]["code"] == "QuotaExceeded" and errors(result)[0]["retriable"] is True
    assert len(searches(svc)) == 1


async def test_given_a_429_in_run_mode_then_it_is_waited_out_and_the_poll_completes(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    svc.sandbox.faults.add("searchOrders", "429", 2)
    started = svc.clock.time()
    result = await svc.trigger({"startTime": iso(svc.clock.time() - 86400 * 5)})
    assert result["outcome"] == "ok", errors(result)
    assert len(searches(svc)) >= 3 and svc.clock.time() > started


async def test_given_a_429_that_outlasts_the_step_timeout_in_run_mode_then_rebound_with_the_window_kept(make_spapi):
    svc = await make_spapi(order_every=QUIET, step_timeout_ms=30_000)
    svc.sandbox.faults.add("searchOrders", "429", 50)
    start = iso(svc.clock.time() - 86400 * 5)
    result = await svc.trigger({"startTime": start})
    assert result["outcome"] == "rebound"
    assert result["snapshot"]["lastUpdatedAfter"] == start


async def test_given_each_behaviour_when_polled_then_the_events_match_the_spapi_out_schema(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    for behavior in ("emitIndividually", "fetchPage", "fetchAll"):
        fields = {"startTime": iso(svc.clock.time() - 10 * 86400), "emitBehavior": behavior}
        validator = await spapi_out_validator(svc, "triggers", "getNewAndUpdatedOrders", {**svc.cfg, **fields})
        result = await svc.trigger(fields)
        assert result["outcome"] == "ok", errors(result)
        bodies = data_bodies(result)
        assert bodies
        for body in bodies:
            validator.validate(body)
