"""ListOrders (+ByNextToken): parameter rules, the window rule, the echoed bound, paging."""
from __future__ import annotations

import base64

import pytest

from .helpers import ORDERS, error_code, iso, text, texts, xml

US = {"MarketplaceId.Id.1": "ATVPDKIKX0DER"}
DAY = 86_400


def window(clock, days_back: float = 31, **extra) -> dict:
    return {**US, "LastUpdatedAfter": iso(clock.time() - days_back * DAY), **extra}


async def all_pages(mws, params: dict) -> tuple[list[str], str, int]:
    """Every order id of a ListOrders query, the echoed LastUpdatedBefore, and the number of pages."""
    doc = xml(await mws.call(ORDERS, "ListOrders", params))
    result = "ListOrdersResult"
    ids, pages = [], 1
    before = text(doc, f"{result}/LastUpdatedBefore")
    while True:
        ids += texts(doc, "AmazonOrderId")
        token = text(doc, f"{result}/NextToken")
        if not token:
            return ids, before, pages
        response = await mws.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token})
        assert response.status_code == 200, response.text
        doc, result, pages = xml(response), "ListOrdersByNextTokenResult", pages + 1
        assert text(doc, f"{result}/LastUpdatedBefore") == before


@pytest.fixture
def unthrottled(sandbox):
    sandbox.throttle.quotas["ListOrders"] = {"max": 1000, "restorePerSecond": 1000}
    return sandbox


async def test_given_neither_after_when_listing_then_400_must_be_specified(mws):
    response = await mws.call(ORDERS, "ListOrders", US)
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")
    assert text(xml(response), "Error/Message") == "CreatedAfter or LastUpdatedAfter must be specified"


async def test_given_both_afters_when_listing_then_400(mws, clock):
    response = await mws.call(ORDERS, "ListOrders", window(clock, CreatedAfter=iso(clock.time() - DAY)))
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_a_before_not_later_than_after_when_listing_then_400(mws, clock):
    params = window(clock, 2, LastUpdatedBefore=iso(clock.time() - 3 * DAY))
    response = await mws.call(ORDERS, "ListOrders", params)
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_an_after_within_the_last_two_minutes_when_listing_then_400_after_is_after_before(mws, clock):
    response = await mws.call(ORDERS, "ListOrders", {**US, "LastUpdatedAfter": iso(clock.time() - 60)})
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")
    assert text(xml(response), "Error/Message") == "The LastUpdatedAfter date is after the LastUpdatedBefore date"


async def test_given_created_before_with_last_updated_after_when_listing_then_400(mws, clock):
    response = await mws.call(ORDERS, "ListOrders", window(clock, CreatedBefore=iso(clock.time() - DAY)))
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


@pytest.mark.parametrize("statuses,ok", [(["Unshipped"], False), (["PartiallyShipped"], False),
                                         (["Unshipped", "PartiallyShipped"], True), (["Shipped"], True),
                                         (["Shipping"], False)])
async def test_given_order_statuses_when_listing_then_unshipped_and_partially_shipped_go_together(
        mws, clock, statuses, ok):
    params = window(clock, **{f"OrderStatus.Status.{n}": s for n, s in enumerate(statuses, 1)})
    response = await mws.call(ORDERS, "ListOrders", params)
    assert response.status_code == (200 if ok else 400)
    if ok:
        assert set(texts(xml(response), "OrderStatus")) <= set(statuses)


@pytest.mark.parametrize("value", ["0", "101", "ten", "-1"])
async def test_given_max_results_outside_1_to_100_when_listing_then_400(mws, clock, value):
    response = await mws.call(ORDERS, "ListOrders", window(clock, MaxResultsPerPage=value))
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_no_marketplace_when_listing_then_400_missing_parameter(mws, clock):
    response = await mws.call(ORDERS, "ListOrders", {"LastUpdatedAfter": iso(clock.time() - DAY)})
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")


async def test_given_a_marketplace_the_seller_is_not_in_when_listing_then_400(mws, clock):
    params = window(clock, **{"MarketplaceId.Id.2": "A1PA6795UKMFR9"})
    response = await mws.call(ORDERS, "ListOrders", params)
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_an_unparsable_date_when_listing_then_400(mws):
    response = await mws.call(ORDERS, "ListOrders", {**US, "LastUpdatedAfter": "last tuesday"})
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_no_before_when_listing_then_the_echo_is_now_minus_two_minutes(mws, clock):
    doc = xml(await mws.call(ORDERS, "ListOrders", window(clock)))
    assert text(doc, "ListOrdersResult/LastUpdatedBefore") == iso(clock.time() - 120)


async def test_given_a_before_in_the_future_when_listing_then_the_echo_is_clamped(mws, clock):
    doc = xml(await mws.call(ORDERS, "ListOrders", window(clock, LastUpdatedBefore=iso(clock.time() + DAY))))
    assert text(doc, "ListOrdersResult/LastUpdatedBefore") == iso(clock.time() - 120)


async def test_given_an_earlier_before_when_listing_then_it_is_echoed_as_sent(mws, clock):
    before = iso(clock.time() - 5 * DAY)
    doc = xml(await mws.call(ORDERS, "ListOrders", window(clock, LastUpdatedBefore=before)))
    assert text(doc, "ListOrdersResult/LastUpdatedBefore") == before
    assert all(d < before for d in texts(doc, "LastUpdateDate"))


async def test_given_created_after_when_listing_then_created_before_is_echoed_and_purchase_dates_filtered(
        mws, clock):
    after = iso(clock.time() - 3 * DAY)
    doc = xml(await mws.call(ORDERS, "ListOrders", {**US, "CreatedAfter": after}))
    assert text(doc, "ListOrdersResult/CreatedBefore") == iso(clock.time() - 120)
    assert text(doc, "ListOrdersResult/LastUpdatedBefore") is None
    assert texts(doc, "PurchaseDate") and all(d >= after for d in texts(doc, "PurchaseDate"))


async def test_given_the_whole_month_when_paging_then_every_us_order_once_sorted_by_last_update(
        mws, clock, sandbox, unthrottled):
    ids, _, pages = await all_pages(mws, window(clock, MaxResultsPerPage=50))
    us = [o for o in sandbox.book.orders.values() if o.marketplace_id == "ATVPDKIKX0DER"]
    assert sorted(ids) == sorted(o.amazon_order_id for o in us) and len(ids) == len(set(ids))
    assert pages == -(-len(us) // 50)
    order = {o.amazon_order_id: (o.last_update_ms, o.amazon_order_id) for o in us}
    assert [order[i] for i in ids] == sorted(order[i] for i in ids)


async def test_given_both_marketplaces_when_listing_then_canadian_orders_come_too(mws, clock, unthrottled):
    ids, _, _ = await all_pages(mws, window(clock, **{"MarketplaceId.Id.2": "A2EUQ1WTGCTBG2"}))
    assert len(ids) == 250 and any(i.startswith("70") for i in ids)


async def test_given_chained_windows_while_orders_change_then_no_order_update_is_lost_or_repeated(
        mws, clock, sandbox, unthrottled):
    """Reusing the echoed LastUpdatedBefore as the next After partitions time: After <= date < Before."""
    seen: list[tuple[str, str]] = []
    after = iso(clock.time() - 31 * DAY)
    for step in range(40):
        params = {**US, "LastUpdatedAfter": after, "MaxResultsPerPage": "7"}
        doc = xml(await mws.call(ORDERS, "ListOrders", params))
        before = text(doc, "ListOrdersResult/LastUpdatedBefore")
        ids, _, _ = await all_pages(mws, params)
        found = {o.amazon_order_id: o for o in sandbox.book.orders.values()}
        seen += [(i, iso(found[i].last_update_ms / 1000)) for i in ids]
        after = before
        clock.advance(37 + step * 11)              # orders are added and updated every 60 s meanwhile
    clock.advance(600)
    ids, final_before, _ = await all_pages(mws, {**US, "LastUpdatedAfter": after})
    seen += [(i, "") for i in ids]
    assert sandbox.generator.applied > 10
    # every US order's latest state before the last echoed bound was seen, no (order, update) twice
    latest = {o.amazon_order_id for o in sandbox.book.orders.values()
              if o.marketplace_id == "ATVPDKIKX0DER" and iso(o.last_update_ms / 1000) < final_before}
    assert latest <= {i for i, _ in seen}
    dated = [pair for pair in seen if pair[1]]
    assert len(dated) == len(set(dated))


async def test_given_an_order_dated_exactly_at_the_bounds_then_after_is_inclusive_and_before_exclusive(
        mws, clock, sandbox):
    order = sorted(sandbox.book.orders.values(), key=lambda o: o.last_update_ms)[100]
    at = iso(order.last_update_ms / 1000)
    inclusive = xml(await mws.call(ORDERS, "ListOrders", {**US, "LastUpdatedAfter": at,
                                                          "LastUpdatedBefore": iso(order.last_update_ms / 1000 + 1)}))
    exclusive = xml(await mws.call(ORDERS, "ListOrders", {**US, "LastUpdatedAfter": iso(clock.time() - 40 * DAY),
                                                          "LastUpdatedBefore": at}))
    if order.marketplace_id == "ATVPDKIKX0DER":
        assert order.amazon_order_id in texts(inclusive, "AmazonOrderId")
    assert order.amazon_order_id not in texts(exclusive, "AmazonOrderId")


async def test_given_a_tampered_or_garbled_token_when_listing_by_next_token_then_400_next_token_corrupted(
        mws, clock):
    doc = xml(await mws.call(ORDERS, "ListOrders", window(clock, MaxResultsPerPage=5)))
    token = text(doc, "ListOrdersResult/NextToken")
    raw = bytearray(base64.b64decode(token))
    raw[10] ^= 1
    for bad in (base64.b64encode(bytes(raw)).decode(), token[:-4], "not a token!", "AAAA"):
        response = await mws.call(ORDERS, "ListOrdersByNextToken", {"NextToken": bad})
        assert (response.status_code, error_code(response)) == (400, "NextTokenCorrupted")


async def test_given_a_list_orders_token_when_used_for_order_items_then_400_next_token_corrupted(mws, clock):
    doc = xml(await mws.call(ORDERS, "ListOrders", window(clock, MaxResultsPerPage=5)))
    token = text(doc, "ListOrdersResult/NextToken")
    response = await mws.call(ORDERS, "ListOrderItemsByNextToken", {"NextToken": token})
    assert (response.status_code, error_code(response)) == (400, "NextTokenCorrupted")


async def test_given_by_next_token_without_token_when_listing_then_400_missing_parameter(mws):
    response = await mws.call(ORDERS, "ListOrdersByNextToken")
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")


async def test_given_pending_orders_when_listed_then_no_buyer_pii_address_or_total(mws, clock):
    doc = xml(await mws.call(ORDERS, "ListOrders", window(clock, **{"OrderStatus.Status.1": "Pending"})))
    orders = doc.findall(".//{*}Order")
    assert orders
    for order in orders:
        names = {child.tag.split("}")[1] for child in order}
        assert not names & {"BuyerEmail", "BuyerName", "ShippingAddress", "OrderTotal"}
