"""List Order Items: every item of an order across pages, Amazon's error for an unknown order."""
from __future__ import annotations

from orders_helpers import QUIET, US, data_bodies, errors

KEY = "listOrderItems"


def _order_with_items(svc, low: int, high: int):
    for order in sorted(svc.sandbox.book.orders.values(), key=lambda o: o.amazon_order_id):
        if low <= len(order.items) <= high and order.marketplace_id == US:
            return order
    raise AssertionError(f"the seeded data has no order with {low}-{high} items")


async def test_given_an_order_with_more_items_than_a_page_when_listed_then_every_item_via_next_token(make_service):
    svc = await make_service(order_every=QUIET)
    order = _order_with_items(svc, 6, 9)  # the sandbox pages items 5 at a time
    result = await svc.action(KEY, {"amazonOrderId": order.amazon_order_id})
    assert result["outcome"] == "ok", errors(result)
    assert svc.actions() == ["ListOrderItems", "ListOrderItemsByNextToken"]
    (body,) = data_bodies(result)
    assert body["amazonOrderId"] == order.amazon_order_id
    assert [i["orderItemId"] for i in body["orderItems"]] == [i.order_item_id for i in order.items]
    assert [i["sellerSKU"] for i in body["orderItems"]] == [i.sku for i in order.items]
    assert all(isinstance(i["quantityOrdered"], int) for i in body["orderItems"])
    validator = await svc.out_validator("actions", KEY)
    assert [e.message[:200] for e in validator.iter_errors(body)] == []


async def test_given_an_order_with_one_item_when_listed_then_order_items_is_a_list_of_one(make_service):
    svc = await make_service(order_every=QUIET)
    order = _order_with_items(svc, 1, 1)
    result = await svc.action(KEY, {"amazonOrderId": order.amazon_order_id})
    assert svc.actions() == ["ListOrderItems"]
    (body,) = data_bodies(result)
    assert isinstance(body["orderItems"], list) and len(body["orderItems"]) == 1


async def test_given_an_unknown_order_when_listed_then_error_with_amazons_code(make_service):
    svc = await make_service(order_every=QUIET)
    result = await svc.action(KEY, {"amazonOrderId": "999-0000000-0000000"})
    assert result["outcome"] == "error"
    (error,) = errors(result)
    assert error["code"] == "InvalidParameterValue" and error["type"] == "Sender" and error["requestId"]
    assert data_bodies(result) == []


async def test_given_a_bad_order_id_when_executed_then_422_and_no_call(make_service):
    svc = await make_service(order_every=QUIET)
    response = await svc.post_action(KEY, {"amazonOrderId": "12-34"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == "msg.body.amazonOrderId"
    assert svc.calls == []


async def test_given_a_fault_on_the_second_page_in_run_mode_when_listed_then_it_is_retried_and_complete(make_service):
    svc = await make_service(order_every=QUIET)
    order = _order_with_items(svc, 6, 9)
    svc.sandbox.faults.add("ListOrderItemsByNextToken", "drop", 1)
    result = await svc.action(KEY, {"amazonOrderId": order.amazon_order_id})
    assert result["outcome"] == "ok", errors(result)
    assert len(data_bodies(result)[0]["orderItems"]) == len(order.items)
