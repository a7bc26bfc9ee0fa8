"""getReportRows on both backends (issue 17): a backfill window by window, each window's rows once, the
position remembered; a cut window resumes from its report; sample mode requests nothing."""
from __future__ import annotations

from collections import Counter

import pytest
from orders_helpers import QUIET, data_bodies, errors, iso
from report_steps_helpers import get_report, poll_report_rows, requests_sent

KEY = "getReportRows"

from app.dates import parse_date


async def test_given_a_backfill_of_90_days_then_three_windows_each_once_and_the_position_remembered(
        make_service, backend):
    svc = backend.use(await make_service(order_every=60.0))
    start = iso(svc.clock.time() - 90 * 86400)
    cfg = {**svc.cfg, "reportType": "ordersByLastUpdate", "startTime": start}
    polled_at = svc.clock.time()
    result = await poll_report_rows(svc, cfg)
    assert result["outcome"] == "ok", errors(result)
    assert len(requests_sent(svc, backend)) == 3  # 30 + 30 + 30 days (the last ends at now − 2 min)
    rows = data_bodies(result)
    position = result["snapshot"]["windowStart"]
    assert parse_date(position) == parse_date(iso(polled_at - 120))  # up to Amazon's now − 2 min
    pairs = Counter((r["amazon-order-id"], r["sku"], r["last-updated-date"]) for r in rows)  # a row per item
    assert [p for p, n in pairs.items() if n > 1] == []
    # The next poll, an hour later, asks only for the hour since.
    svc.clock.advance(3600)
    later = await poll_report_rows(svc, cfg, snapshot=result["snapshot"])
    assert later["outcome"] == "ok", errors(later)
    assert len(requests_sent(svc, backend)) == 4
    assert all(parse_date(r["last-updated-date"]) >= parse_date(position) for r in data_bodies(later))


async def test_given_a_window_cut_while_its_report_is_made_then_the_next_poll_resumes_that_report(
        make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET, step_timeout_ms=20_000, response_check_delay_ms=15_000))
    cfg = {**svc.cfg, "reportType": "ordersByLastUpdate", "startTime": iso(svc.clock.time() - 10 * 86400)}
    first = await poll_report_rows(svc, cfg)
    assert first["outcome"] == "rebound"
    key = "reportRequestId" if backend.name == "mws" else "reportId"
    assert first["snapshot"][key] and first["snapshot"]["windowEnd"]
    svc.clock.advance(120)
    second = await poll_report_rows(svc, cfg, snapshot=first["snapshot"])
    assert second["outcome"] == "ok", errors(second)
    assert data_bodies(second)                                   # the first window's rows, from its report
    assert second["snapshot"] == {"windowStart": first["snapshot"]["windowEnd"]}
    assert len(requests_sent(svc, backend)) == 1                # never the same window twice


async def test_given_sample_mode_then_the_trigger_sends_no_request(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    cfg = {**svc.cfg, "reportType": "allListings"}
    await get_report(svc, cfg)
    before = len(requests_sent(svc, backend))
    sample = await poll_report_rows(svc, cfg, mode="sample")
    assert sample["outcome"] == "ok" and 1 <= len(data_bodies(sample)) <= 10 and sample["snapshot"] == {}
    assert len(requests_sent(svc, backend)) == before


@pytest.mark.parametrize("field", ["reportType"])
async def test_given_the_trigger_then_settlements_are_not_offered(make_service, backend, field):
    svc = backend.use(await make_service(order_every=QUIET))
    response = await svc.client.post("/select-model", json={"step": KEY, "field": field, "cfg": svc.cfg})
    assert response.status_code == 200, response.text
    model = response.json()["model"]
    assert "settlement" not in model and "allListings" in model


async def test_given_a_poll_soon_after_the_last_then_no_report_is_requested_for_minutes_of_data(make_service, backend):
    svc = backend.use(await make_service(order_every=QUIET))
    cfg = {**svc.cfg, "reportType": "ordersByLastUpdate", "startTime": iso(svc.clock.time() - 2 * 86400)}
    first = await poll_report_rows(svc, cfg)
    assert first["outcome"] == "ok", errors(first)
    svc.clock.advance(300)
    again = await poll_report_rows(svc, cfg, snapshot=first["snapshot"])
    assert again["outcome"] == "ok" and again["snapshot"] == first["snapshot"]
    assert len(requests_sent(svc, backend)) == 1
