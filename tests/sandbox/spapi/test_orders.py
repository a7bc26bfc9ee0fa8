"""Orders v2026-01-01 searchOrders and getOrder over the orders the MWS sandbox serves."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from .helpers import ORDERS, error


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def days_ago(clock, days: float) -> str:
    return iso(clock.time() - days * 86400)


async def walk(sp, params: dict) -> list[dict]:
    orders, token = [], None
    while True:
        page = (await sp.get(ORDERS, {**params, **({"paginationToken": token} if token else {})})).json()
        orders += page["orders"]
        token = page.get("pagination", {}).get("nextToken")
        if not token:
            return orders


@pytest.mark.parametrize("params", [
    {},
    {"createdAfter": "2026-09-01T00:00:00Z", "lastUpdatedAfter": "2026-09-01T00:00:00Z"},
    {"createdAfter": "2026-09-01T00:00:00Z", "lastUpdatedBefore": "2026-09-02T00:00:00Z"},
    {"lastUpdatedAfter": "2026-09-01T00:00:00Z", "createdBefore": "2026-09-02T00:00:00Z"},
    {"createdBefore": "2026-09-02T00:00:00Z"},
])
async def test_given_not_exactly_one_after_when_searching_then_400_invalid_input(sp, params):
    assert error(await sp.get(ORDERS, params)) == (400, "InvalidInput")


async def test_given_no_before_when_searching_then_the_window_ends_two_minutes_ago_and_is_echoed(sp, clock):
    response = await sp.get(ORDERS, {"lastUpdatedAfter": days_ago(clock, 40)})
    assert response.status_code == 200
    assert response.json()["lastUpdatedBefore"] == iso(clock.time() - 120)
    assert "createdBefore" not in response.json()
    assert response.headers["x-amzn-ratelimit-limit"] == "0.0056"


async def test_given_a_before_later_than_two_minutes_ago_when_searching_then_the_echo_is_clamped(sp, clock):
    later = await sp.get(ORDERS, {"createdAfter": days_ago(clock, 5), "createdBefore": iso(clock.time() + 3600)})
    assert later.json()["createdBefore"] == iso(clock.time() - 120)
    earlier = await sp.get(ORDERS, {"createdAfter": days_ago(clock, 5), "createdBefore": days_ago(clock, 1)})
    assert earlier.json()["createdBefore"] == days_ago(clock, 1)


async def test_given_an_after_within_the_last_two_minutes_or_a_before_before_it_then_400(sp, clock):
    assert error(await sp.get(ORDERS, {"lastUpdatedAfter": iso(clock.time() - 60)})) == (400, "InvalidInput")
    assert error(await sp.get(ORDERS, {"lastUpdatedAfter": days_ago(clock, 2),
                                       "lastUpdatedBefore": days_ago(clock, 3)})) == (400, "InvalidInput")
    assert error(await sp.get(ORDERS, {"lastUpdatedAfter": "yesterday"})) == (400, "InvalidInput")


@pytest.mark.parametrize("size", ["0", "101", "ten", "-1"])
async def test_given_a_page_size_outside_1_to_100_when_searching_then_400(sp, clock, size):
    assert error(await sp.get(ORDERS, {"lastUpdatedAfter": days_ago(clock, 3), "maxResultsPerPage": size})) == \
        (400, "InvalidInput")


async def test_given_pages_when_walking_with_the_same_parameters_then_every_order_once_in_date_order(sp, clock, sandbox):
    params = {"lastUpdatedAfter": days_ago(clock, 40), "maxResultsPerPage": 20}   # 13 pages: within the burst
    first = (await sp.get(ORDERS, params)).json()
    assert len(first["orders"]) == 20 and first["pagination"]["nextToken"]
    orders = await walk(sp, params)
    assert [o["orderId"] for o in orders] == [o["amazonOrderId"] for o in sandbox.state()["orders"]]
    assert [o["lastUpdatedTime"] for o in orders] == sorted(o["lastUpdatedTime"] for o in orders)


async def test_given_a_token_when_another_filter_changes_then_400_but_page_size_and_included_data_may(sp, clock):
    params = {"lastUpdatedAfter": days_ago(clock, 40), "maxResultsPerPage": 5}
    token = (await sp.get(ORDERS, params)).json()["pagination"]["nextToken"]
    changed = {**params, "lastUpdatedAfter": days_ago(clock, 39), "paginationToken": token}
    assert error(await sp.get(ORDERS, changed)) == (400, "InvalidInput")
    status = {**params, "fulfillmentStatuses": "SHIPPED", "paginationToken": token}
    assert error(await sp.get(ORDERS, status)) == (400, "InvalidInput")
    fine = {**params, "maxResultsPerPage": 9, "includedData": "BUYER", "paginationToken": token}
    assert len((await sp.get(ORDERS, fine)).json()["orders"]) == 9


async def test_given_a_token_older_than_24_hours_when_using_it_then_400_saying_it_expired(sp, clock):
    params = {"createdAfter": days_ago(clock, 40), "createdBefore": days_ago(clock, 1), "maxResultsPerPage": 5}
    token = (await sp.get(ORDERS, params)).json()["pagination"]["nextToken"]
    clock.advance(24 * 3600 + 1)
    response = await sp.get(ORDERS, {**params, "paginationToken": token}, token=await sp.token(fresh=True))
    assert error(response) == (400, "InvalidInput")
    assert "expired" in response.json()["errors"][0]["details"]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert error(await sp.get(ORDERS, {**params, "paginationToken": tampered})) == (400, "InvalidInput")


async def test_given_pages_when_an_order_changes_between_them_then_the_window_keeps_its_first_end(sp, clock):
    params = {"lastUpdatedAfter": days_ago(clock, 40), "maxResultsPerPage": 100}
    first = (await sp.get(ORDERS, params)).json()
    clock.advance(3600)                                  # the generator adds and updates orders meanwhile
    second = (await sp.get(ORDERS, {**params, "paginationToken": first["pagination"]["nextToken"]},
                           token=await sp.token(fresh=True))).json()
    assert second["lastUpdatedBefore"] == first["lastUpdatedBefore"]
    assert all(o["lastUpdatedTime"] <= first["lastUpdatedBefore"] for o in second["orders"])
    assert not {o["orderId"] for o in first["orders"]} & {o["orderId"] for o in second["orders"]}


async def test_given_fulfillment_statuses_when_searching_then_only_those_and_the_status_is_amazons(sp, clock, sandbox):
    params = {"lastUpdatedAfter": days_ago(clock, 40), "fulfillmentStatuses": "CANCELLED,PENDING",
              "includedData": "FULFILLMENT"}
    orders = await walk(sp, params)
    expected = [o["amazonOrderId"] for o in sandbox.state()["orders"] if o["orderStatus"] in ("Canceled", "Pending")]
    assert [o["orderId"] for o in orders] == expected and expected
    assert {o["fulfillment"]["fulfillmentStatus"] for o in orders} == {"CANCELLED", "PENDING"}
    assert error(await sp.get(ORDERS, {**params, "fulfillmentStatuses": "Canceled"})) == (400, "InvalidInput")


async def test_given_included_data_when_searching_then_only_the_blocks_asked_for(sp, clock):
    base = {"lastUpdatedAfter": days_ago(clock, 40), "maxResultsPerPage": 20}
    bare = (await sp.get(ORDERS, base)).json()["orders"]
    assert all({"buyer", "recipient", "proceeds", "fulfillment"}.isdisjoint(o) for o in bare)
    assert all({"orderId", "createdTime", "lastUpdatedTime", "salesChannel", "orderItems"} <= set(o) for o in bare)
    full = (await sp.get(ORDERS, {**base, "includedData": "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT"})).json()["orders"]
    assert all({"buyer", "recipient", "proceeds", "fulfillment"} <= set(o) for o in full)
    assert error(await sp.get(ORDERS, {**base, "includedData": "EVERYTHING"})) == (400, "InvalidInput")


async def test_given_marketplaces_when_searching_then_the_sellers_only(sp, clock, sandbox):
    canadian = await walk(sp, {"lastUpdatedAfter": days_ago(clock, 40), "marketplaceIds": "A2EUQ1WTGCTBG2"})
    assert canadian and {o["salesChannel"]["marketplaceId"] for o in canadian} == {"A2EUQ1WTGCTBG2"}
    response = await sp.get(ORDERS, {"lastUpdatedAfter": days_ago(clock, 40), "marketplaceIds": "A1PA6795UKMFR9"})
    assert error(response) == (400, "InvalidInput")


async def test_given_an_order_the_mws_side_serves_when_getting_it_then_the_same_order_in_v2026_shape(sp, sandbox):
    order = sandbox.book.orders[sandbox.state()["orders"][-1]["amazonOrderId"]]
    response = await sp.get(f"{ORDERS}/{order.amazon_order_id}", {"includedData": "FULFILLMENT,PROCEEDS"})
    got = response.json()["order"]
    assert response.status_code == 200 and response.headers["x-amzn-ratelimit-limit"] == "0.5"
    assert got["orderId"] == order.amazon_order_id
    assert [i["product"]["sellerSku"] for i in got["orderItems"]] == [i.sku for i in order.items]
    assert [i["quantityOrdered"] for i in got["orderItems"]] == [i.quantity_ordered for i in order.items]
    cents = int(got["proceeds"]["grandTotal"]["amount"].replace(".", ""))
    assert cents == order.total_cents


async def test_given_an_unknown_or_malformed_order_id_when_getting_it_then_404_or_400(sp):
    assert error(await sp.get(f"{ORDERS}/111-0000000-0000000")) == (404, "NotFound")
    assert error(await sp.get(f"{ORDERS}/not-an-order")) == (400, "InvalidInput")


async def test_given_the_generator_moves_orders_when_searching_then_sp_api_sees_the_shared_state(sp, clock, sandbox):
    start_ms = int(clock.time() * 1000)
    clock.advance(10 * 60)                           # ten generator events: new orders and status changes
    found = await walk(sp, {"lastUpdatedAfter": iso(clock.time() - 600)})
    now_ms = int(clock.time() * 1000)
    changed = {o.amazon_order_id for o in sandbox.book.orders.values()
               if start_ms < o.last_update_ms <= now_ms - 120_000}
    assert changed and {o["orderId"] for o in found} == changed
