"""getReport on both backends (issue 17), against the sandboxes in-process: request, wait every
RESPONSE_CHECK_DELAY, read, rows keyed by the report's own header; a rebound resumes the same report."""
from __future__ import annotations

import pytest
from orders_helpers import QUIET, data_bodies, errors, iso
from report_steps_helpers import get_report, requests_sent

KEY = "getReport"

from app.dates import parse_date


async def test_given_all_listings_when_reported_then_one_row_per_catalog_item_keyed_by_amazons_headers(
        make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    result = await get_report(svc, {**svc.cfg, "reportType": "allListings"})
    assert result["outcome"] == "ok", errors(result)
    rows = data_bodies(result)
    catalog = svc.sandbox.states.of(svc.cfg["sellerId"]).catalog
    assert {r["seller-sku"]: r["item-name"] for r in rows} == {sku: item.title for sku, item in catalog.items()}
    assert all(set(r) >= {"seller-sku", "item-name", "price", "quantity"} for r in rows)
    assert len(requests_sent(svc, backend)) == 1


async def test_given_fetch_all_then_one_message_with_every_row(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    result = await get_report(svc, {**svc.cfg, "reportType": "fbaInventory", "emitBehavior": "fetchAll"})
    [body] = data_bodies(result)
    assert set(body) == {"rows"} and body["rows"] and all("Quantity Available" in r for r in body["rows"])


async def test_given_orders_by_last_update_for_a_period_then_its_orders_and_the_dates_sent(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    start, end = iso(svc.clock.time() - 10 * 86400), iso(svc.clock.time() - 2 * 86400)
    result = await get_report(svc, {**svc.cfg, "reportType": "ordersByLastUpdate", "startTime": start, "endTime": end})
    assert result["outcome"] == "ok", errors(result)
    ids = {r["amazon-order-id"] for r in data_bodies(result)}
    truth = {o["amazonOrderId"] for o in svc.sandbox.state()["orders"]
             if o["marketplaceId"] == svc.cfg["marketplaceId"]
             and parse_date(start) <= parse_date(o["lastUpdateDate"]) <= parse_date(end)}
    assert ids == truth and ids


async def test_given_a_short_step_timeout_when_the_report_is_not_ready_then_rebound_and_the_same_report_resumes(
        make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET, step_timeout_ms=20_000, response_check_delay_ms=15_000))
    cfg = {**svc.cfg, "reportType": "allListings"}
    first = await get_report(svc, cfg)
    assert first["outcome"] == "rebound"
    key = "reportRequestId" if backend.name == "mws" else "reportId"
    assert set(first["snapshot"]) == {key}
    svc.clock.advance(120)
    second = await get_report(svc, cfg, snapshot=first["snapshot"])
    assert second["outcome"] == "ok", errors(second)
    assert data_bodies(second) and second["snapshot"] == {}
    assert len(requests_sent(svc, backend)) == 1  # never requested twice


async def test_given_sample_mode_then_no_request_and_the_first_rows_of_an_existing_report(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    cfg = {**svc.cfg, "reportType": "allListings"}
    assert (await get_report(svc, cfg))["outcome"] == "ok"  # one report exists now
    requested = len(requests_sent(svc, backend))
    sample = await get_report(svc, cfg, mode="sample")
    assert sample["outcome"] == "ok" and 1 <= len(data_bodies(sample)) <= 10
    assert len(requests_sent(svc, backend)) == requested


async def test_given_a_settlement_then_the_newest_one_amazon_made_without_a_request(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    result = await get_report(svc, {**svc.cfg, "reportType": "settlement"})
    assert result["outcome"] == "ok", errors(result)
    rows = data_bodies(result)
    assert rows and len({r["settlement-id"] for r in rows}) == 1
    assert requests_sent(svc, backend) == []


async def test_given_no_report_yet_in_sample_mode_then_a_clear_error(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    result = await get_report(svc, {**svc.cfg, "reportType": "fbaInventory"}, mode="sample")
    assert result["outcome"] == "error" and errors(result)[0]["code"] == "NoReport"


async def test_given_a_bad_report_type_or_date_then_422_at_the_field_and_nothing_sent(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    response = await svc.client.post(f"/actions/{KEY}/execute", json={
        "cfg": {**svc.cfg, "reportType": "everything", "startTime": "yesterday"}, "msg": {"body": {}}})
    assert response.status_code == 422
    assert {p["path"] for p in response.json()["detail"]} >= {"cfg.reportType"}
    assert backend.amazon_calls(svc) == []


async def test_given_the_japanese_seller_then_titles_decode_from_windows_31j(make_service, backend):
    if backend.name == "spapi":
        pytest.skip("the SP-API sandbox's demo app holds a refresh token of the US seller only")
    svc = backend.use(await make_service(order_every=QUIET))
    jp = {**svc.cfg, "sellerId": "A2SANDBOXSELLERJP", "marketplaceId": "A1VC38T7YXB528", "reportType": "allListings"}
    if backend.name == "mws":
        jp.pop("endpointUrl", None)
    result = await get_report(svc, jp)
    assert result["outcome"] == "ok", errors(result)
    titles = {r["item-name"] for r in data_bodies(result)}
    assert titles == {item.title for item in svc.sandbox.states.of("A2SANDBOXSELLERJP").catalog.values()}
    assert any("茶" in t for t in titles)


async def test_given_a_report_cancelled_while_queued_then_an_error_with_amazons_status_and_no_resume(
        make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET, step_timeout_ms=1_000, response_check_delay_ms=2_000))
    cfg = {**svc.cfg, "reportType": "allListings"}
    first = await get_report(svc, cfg)
    assert first["outcome"] == "rebound"
    [request] = svc.sandbox.reports.requests.values()
    assert svc.sandbox.reports.cancel(request)  # cancelled at Amazon (CancelReportRequests / cancelReport)
    second = await get_report(svc, cfg, snapshot=first["snapshot"])
    assert second["outcome"] == "error"
    [error] = errors(second)
    assert error["code"] == "ReportNotMade"
    assert ("_CANCELLED_" if backend.name == "mws" else "CANCELLED") in error["message"]
    assert second["snapshot"] == {} and len(requests_sent(svc, backend)) == 1


class _SlowReport:
    """A report whose every row takes a second to arrive (a long download)."""

    def __init__(self, clock, rows: int) -> None:
        self.clock, self.count = clock, rows

    async def rows(self, document, name):
        for n in range(self.count):
            self.clock.advance(1)
            yield {"n": str(n)}


async def test_given_rows_still_coming_near_step_timeout_then_cut_and_the_next_call_goes_on_from_there():
    from types import SimpleNamespace

    from app.clock import VirtualClock
    from app.steps.reports import RowsCut, emit_rows

    clock, sent = VirtualClock(), []

    async def data(body):
        sent.append(body["n"])

    ctx = SimpleNamespace(clock=clock, deadline=clock.time() + 6, data=data)
    with pytest.raises(RowsCut) as cut:
        await emit_rows(ctx, _SlowReport(clock, 10), "doc", "X", "emitIndividually")
    assert cut.value.emitted == len(sent) == 4 and cut.value.rebounds  # rows at 1..4 s; the 5th leaves < 2 s
    ctx.deadline = clock.time() + 600
    count = await emit_rows(ctx, _SlowReport(clock, 10), "doc", "X", "emitIndividually", skip=cut.value.emitted)
    assert count == 10 and sent == [str(n) for n in range(10)]  # every row once, in order


async def test_given_a_snapshot_with_rows_emitted_then_the_report_goes_on_after_them(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET, step_timeout_ms=20_000, response_check_delay_ms=15_000))
    cfg = {**svc.cfg, "reportType": "allListings"}
    first = await get_report(svc, cfg)
    svc.clock.advance(120)
    resumed = await get_report(svc, cfg, snapshot={**first["snapshot"], "rowsEmitted": 5})
    assert resumed["outcome"] == "ok", errors(resumed)
    catalog = svc.sandbox.states.of(svc.cfg["sellerId"]).catalog
    assert len(data_bodies(resumed)) == len(catalog) - 5
    assert len(requests_sent(svc, backend)) == 1


async def test_given_a_hand_edited_rows_emitted_then_422_and_nothing_sent(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    response = await svc.client.post(f"/actions/{KEY}/execute", json={
        "cfg": {**svc.cfg, "reportType": "allListings"}, "msg": {"body": {}}, "snapshot": {"rowsEmitted": -1}})
    assert response.status_code == 422 and response.json()["detail"][0]["path"] == "snapshot.rowsEmitted"
    assert backend.amazon_calls(svc) == []
