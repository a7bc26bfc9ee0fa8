"""What GetReport returns: Amazon's tab-separated flat files made from the seller's state, with a
Content-MD5 and a Content-Type naming the charset — Cp1252 in the US, Windows-31J in Japan
(reports.md §3–4). Decoded here with plain Python codecs, independently of app.reports."""
from __future__ import annotations

import httpx

from app.sandbox import DEMO
from app.sandbox.state.dates import DAY_MS, iso_ms

from .helpers import Caller, text, texts, xml
from .test_reports_lifecycle import ORDERS_REPORT, call, fetch, md5

JP_SELLER = "A2SANDBOXSELLERJP"
SETTLEMENT = "_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_"


def table(body: bytes, codec: str) -> list[dict[str, str]]:
    header, *lines = body.decode(codec).split("\n")
    assert lines[-1] == ""                      # every line ends with \n
    return [dict(zip(header.split("\t"), line.split("\t"))) for line in lines[:-1]]


async def test_given_a_listings_report_then_raw_body_its_md5_and_cp1252_declared(mws, clock, sandbox):
    response = await fetch(mws, clock)
    assert response.headers["content-type"] == "text/plain;charset=Cp1252"
    assert response.headers["content-md5"] == md5(response.content)
    assert response.headers["x-mws-quota-max"] == "60.0"
    rows = table(response.content, "cp1252")
    assert {r["seller-sku"] for r in rows} == set(sandbox.book.catalog)
    first = sandbox.book.catalog[rows[0]["seller-sku"]]
    assert (rows[0]["item-name"], rows[0]["asin1"], rows[0]["price"]) == \
        (first.title, first.asin, f"{first.price_cents / 100:.2f}")
    assert list(rows[0])[:4] == ["item-name", "item-description", "listing-id", "seller-sku"]
    assert list(rows[0])[-1] == "status"


async def test_given_a_sku_out_of_stock_then_all_listings_show_it_inactive_and_active_listings_leave_it_out(
        mws, clock, sandbox):
    from app.sandbox.mws.reports.generate import fulfilled_by_amazon
    sku = next(s for s, item in sandbox.book.catalog.items() if not fulfilled_by_amazon(item))
    sandbox.book.catalog[sku].quantity = 0
    everything = table((await fetch(mws, clock)).content, "cp1252")
    active = table((await fetch(mws, clock, "_GET_MERCHANT_LISTINGS_DATA_")).content, "cp1252")
    assert next(r for r in everything if r["seller-sku"] == sku)["status"] == "Inactive"
    assert sku not in {r["seller-sku"] for r in active} and len(active) < len(everything)


async def test_given_a_title_cp1252_cannot_hold_then_it_arrives_with_question_marks_as_amazons_do(
        mws, clock, sandbox):
    sku = next(iter(sandbox.book.catalog))
    sandbox.book.catalog[sku].title = "Żółw crème brûlée"
    rows = table((await fetch(mws, clock)).content, "cp1252")
    assert next(r for r in rows if r["seller-sku"] == sku)["item-name"] == "?ó?w crème brûlée"


async def test_given_the_japanese_seller_then_its_report_is_windows_31j_with_japanese_titles_intact(
        http, clock, sandbox):
    jp = Caller(http, clock, {**DEMO, "sellerId": JP_SELLER})
    response = await fetch(jp, clock)
    assert response.headers["content-type"] == "text/plain;charset=Windows-31J"
    assert response.headers["content-md5"] == md5(response.content)
    rows = table(response.content, "cp932")
    catalog = sandbox.states.of(JP_SELLER).catalog
    assert {r["seller-sku"]: r["item-name"] for r in rows} == {s: i.title for s, i in catalog.items()}
    assert "宇治抹茶 100g ～ 茶道用" in {r["item-name"] for r in rows}    # ～ is Windows-31J's, not Shift_JIS's
    assert all(r["price"].isdigit() for r in rows)                      # yen have no decimals
    assert {r["fulfillment-channel"] for r in rows} <= {"AMAZON_JP", "DEFAULT"}


async def test_given_a_window_then_the_orders_report_has_one_row_per_item_of_each_order_updated_in_it(
        mws, clock, sandbox):
    us = sorted((o for o in sandbox.book.orders.values() if o.marketplace_id == DEMO["marketplaceId"]),
                key=lambda o: o.last_update_ms)
    start, end = us[10].last_update_ms, us[40].last_update_ms           # both bounds are inclusive
    response = await fetch(mws, clock, ORDERS_REPORT, StartDate=iso_ms(start), EndDate=iso_ms(end))
    rows = table(response.content, "cp1252")
    expected = [o for o in us if start <= o.last_update_ms <= end]
    assert {r["amazon-order-id"] for r in rows} == {o.amazon_order_id for o in expected}
    assert len(rows) == sum(len(o.items) for o in expected)
    assert {r["sales-channel"] for r in rows} == {"Amazon.com"}
    order = expected[0]
    row = next(r for r in rows if r["amazon-order-id"] == order.amazon_order_id)
    assert (row["sku"], row["currency"], row["quantity"]) == \
        (order.items[0].sku, order.currency, str(order.items[0].quantity_ordered))
    assert row["last-updated-date"].endswith("+00:00")


async def test_given_the_canadian_marketplace_then_only_its_orders_are_reported(mws, clock, sandbox):
    response = await fetch(mws, clock, ORDERS_REPORT, StartDate=iso_ms(sandbox.start_ms - 31 * DAY_MS),
                           **{"MarketplaceIdList.Id.1": "A2EUQ1WTGCTBG2"})
    rows = table(response.content, "cp1252")
    canadian = {o.amazon_order_id for o in sandbox.book.orders.values() if o.marketplace_id == "A2EUQ1WTGCTBG2"}
    assert rows and {r["amazon-order-id"] for r in rows} == canadian
    assert {r["currency"] for r in rows} == {"CAD"}


async def test_given_fba_inventory_then_only_amazon_fulfilled_skus_with_their_quantity(mws, clock, sandbox):
    rows = table((await fetch(mws, clock, "_GET_AFN_INVENTORY_DATA_")).content, "cp1252")
    assert list(rows[0]) == ["seller-sku", "fulfillment-channel-sku", "asin", "condition-type",
                             "Warehouse-Condition-code", "Quantity Available"]
    listings = table((await fetch(mws, clock)).content, "cp1252")
    amazon = {r["seller-sku"] for r in listings if r["fulfillment-channel"] == "AMAZON_NA"}
    assert {r["seller-sku"] for r in rows} == amazon
    for row in rows:
        assert row["Quantity Available"] == str(sandbox.book.catalog[row["seller-sku"]].quantity)


async def test_given_a_settlement_then_a_summary_row_whose_total_is_the_sum_of_its_amounts(mws, clock):
    listed = xml(await call(mws, "GetReportList", {"ReportTypeList.Type.1": SETTLEMENT}))
    report_id = texts(listed, "ReportId")[0]
    response = await call(mws, "GetReport", {"ReportId": report_id})
    assert response.headers["content-md5"] == md5(response.content)
    summary, *lines = table(response.content, "cp1252")
    assert summary["settlement-id"] and summary["total-amount"] and not summary["amount-type"]
    cents = sum(round(float(r["amount"]) * 100) for r in lines)
    assert round(float(summary["total-amount"]) * 100) == cents
    assert {r["amount-type"] for r in lines} >= {"ItemPrice", "ItemFees"}
    assert all(r["settlement-id"] == summary["settlement-id"] for r in lines)


async def test_given_fourteen_days_pass_then_amazon_makes_the_next_settlement(clock):
    from app.sandbox import Sandbox
    sandbox = Sandbox(clock=clock, wall=clock.time, order_every=0)      # no generated orders: a quick 14 days
    async with httpx.AsyncClient(transport=sandbox.transport()) as http:
        mws = Caller(http, clock)

        async def settlements() -> int:
            doc = xml(await call(mws, "GetReportCount", {"ReportTypeList.Type.1": SETTLEMENT}))
            return int(text(doc, "GetReportCountResult/Count"))
        before = await settlements()
        clock.advance(86_400)
        shipped = next(o for o in sandbox.book.orders.values() if o.status == "Shipped")
        sandbox.book.touch(shipped, sandbox.now_ms())
        clock.advance(13 * 86_400 - 1)
        assert await settlements() == before
        clock.advance(1)
        assert await settlements() == before + 1


async def test_given_a_report_fetched_twice_then_the_same_bytes(mws, clock, http: httpx.AsyncClient):
    first = await fetch(mws, clock)
    report_id = texts(xml(await call(mws, "GetReportList", {"MaxCount": "1"})), "ReportId")[0]
    again = await call(mws, "GetReport", {"ReportId": report_id})
    assert again.content == first.content and again.headers["content-md5"] == first.headers["content-md5"]
