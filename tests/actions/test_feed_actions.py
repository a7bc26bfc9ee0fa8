"""Feed actions end to end over the step API: submit, poll every RESPONSE_CHECK_DELAY, fetch the
processing report, emit it in the contract's feed-result shape (step-api.md §5), and the sandbox's
catalog and orders changed as the feed said."""
from __future__ import annotations

import base64
import hashlib
import logging
import re
from typing import Callable

import pytest

from app.sandbox import DEMO
from feed_actions_helpers import (
    FEED_RESULT_KEYS, calls_of, catalog, errors, execute, only_data, report, skus, snapshots, submits,
)

CHECK_LINE = re.compile(r"^feed \d+: _[A-Z_]+_ \(check \d+\)$")
IMAGE = "https://images.example.com/backpack-main.jpg"


def _order_id(svc) -> str:
    return sorted(svc.orders_truth())[0]


def _update_order(svc) -> tuple[dict, Callable]:
    order = _order_id(svc)

    def changed(state: dict) -> None:
        (summary,) = [o for o in state["orders"] if o["amazonOrderId"] == order]
        assert summary["acknowledged"] is True and summary["merchantOrderId"] == "ERP-1001"
    return {"messages": [{"amazonOrderID": order, "merchantOrderID": "ERP-1001", "statusCode": "Success"}]}, changed


def _update_item(svc) -> tuple[dict, Callable]:
    a, b = skus(svc, 2)

    def changed(state: dict) -> None:
        items = {i["sku"]: i for i in state["catalog"]}
        assert (items[a]["quantity"], items[b]["quantity"]) == (7, 0)
    return {"messages": [{"SKU": a, "Quantity": 7}, {"SKU": b, "Quantity": 0}]}, changed


def _submit_inventory(svc) -> tuple[dict, Callable]:
    (sku,) = skus(svc, 1)

    def changed(state: dict) -> None:
        (item,) = [i for i in state["catalog"] if i["sku"] == sku]
        assert (item["quantity"], item["fulfillmentLatency"], item["restockDate"]) == (3, 2, "2027-01-15")
    return {"SKU": sku, "Quantity": 3, "FulfillmentLatency": 2, "RestockDate": "2027-01-15"}, changed


def _change_product_price(svc) -> tuple[dict, Callable]:
    (sku,) = skus(svc, 1)

    def changed(state: dict) -> None:
        (item,) = [i for i in state["catalog"] if i["sku"] == sku]
        assert (item["price"], item["currency"]) == ("12.34", "USD")
        assert item["sale"]["price"] == "9.99"
    return {"SKU": sku, "StandardPrice": {"value": "12.34", "currency": "USD"},
            "SalePrice": {"value": 9.99, "currency": "USD", "StartDate": "2027-01-01T00:00:00Z",
                          "EndDate": "2027-02-01T00:00:00Z"}}, changed


def _change_product_image(svc) -> tuple[dict, Callable]:
    (sku,) = skus(svc, 1)

    def changed(state: dict) -> None:
        (item,) = [i for i in state["catalog"] if i["sku"] == sku]
        assert item["images"] == {"Main": IMAGE}
    return {"SKU": sku, "ImageType": "Main", "ImageLocation": IMAGE}, changed


def _establish_product_relationships(svc) -> tuple[dict, Callable]:
    parent, child, accessory = skus(svc, 3)

    def changed(state: dict) -> None:
        (item,) = [i for i in state["catalog"] if i["sku"] == parent]
        assert item["relationships"] == [{"sku": child, "type": "Variation"}, {"sku": accessory, "type": "Accessory"}]
    return {"ParentSKU": parent, "Relation": [{"SKU": child, "Type": "Variation"},
                                              {"SKU": accessory, "Type": "Accessory"}]}, changed


CASES = {
    "updateOrder": ("_POST_ORDER_ACKNOWLEDGEMENT_DATA_", _update_order),
    "updateItem": ("_POST_INVENTORY_AVAILABILITY_DATA_", _update_item),
    "submitInventory": ("_POST_INVENTORY_AVAILABILITY_DATA_", _submit_inventory),
    "changeProductPrice": ("_POST_PRODUCT_PRICING_DATA_", _change_product_price),
    "changeProductImage": ("_POST_PRODUCT_IMAGE_DATA_", _change_product_image),
    "establishProductRelationships": ("_POST_PRODUCT_RELATIONSHIP_DATA_", _establish_product_relationships),
}


@pytest.mark.parametrize("key", list(CASES))
async def test_given_a_valid_message_when_the_feed_action_runs_then_it_submits_polls_and_emits_the_report(
        make_feed_service, key, caplog):
    feed_type, case = CASES[key]
    svc = await make_feed_service()
    body, changed = case(svc)
    caplog.set_level(logging.INFO)

    result = await execute(svc, key, body)

    assert result["outcome"] == "ok", errors(result)
    data = only_data(result)
    assert set(data) == FEED_RESULT_KEYS
    assert (data["feedType"], data["feedProcessingStatus"]) == (feed_type, "_DONE_")
    processing = data["processingReport"]
    assert processing["statusCode"] == "Complete"
    assert processing["messagesProcessed"] == len(body.get("messages", [body]))
    assert processing["messagesSuccessful"] == processing["messagesProcessed"]
    assert (processing["messagesWithError"], processing["messagesWithWarning"], processing["results"]) == (0, 0, [])
    validator = await svc.out_validator("actions", key)
    assert [e.message[:200] for e in validator.iter_errors(data)] == []
    # submitted once, checked until _DONE_ (5 s to start + 60 s to process, a check every 30 s), fetched once
    assert svc.actions() == ["SubmitFeed"] + ["GetFeedSubmissionList"] * 4 + ["GetFeedSubmissionResult"]
    checks = calls_of(svc, "GetFeedSubmissionList")
    assert [round(b.at - a.at) for a, b in zip(checks, checks[1:])] == [30, 30, 30]
    assert all(c.params["FeedSubmissionIdList.Id.1"] == data["feedSubmissionId"] for c in checks)
    assert snapshots(result) == [{"feedSubmissionId": data["feedSubmissionId"],
                                  "contentMd5": submits(svc)[0].params["ContentMD5Value"]}, {}]
    assert result["snapshot"] == {}
    changed(svc.sandbox.state())
    progress = [r.getMessage() for r in caplog.records if CHECK_LINE.match(r.getMessage())]
    assert len(progress) == len(checks)


@pytest.mark.parametrize("key", list(CASES))
async def test_given_a_feed_action_when_it_submits_then_content_md5_is_that_of_the_exact_bytes_sent(
        make_feed_service, key):
    svc = await make_feed_service()
    body, _ = CASES[key][1](svc)

    result = await execute(svc, key, body)

    assert result["outcome"] == "ok", errors(result)
    (submit,) = submits(svc)
    assert submit.params["ContentMD5Value"] == base64.b64encode(hashlib.md5(submit.body).digest()).decode()
    assert submit.params["FeedType"] == CASES[key][0]
    assert submit.body.startswith(b"<?xml") and b"<AmazonEnvelope" in submit.body
    assert submit.headers["content-type"].startswith("text/xml")
    marketplaces = {k: v for k, v in submit.params.items() if k.startswith("MarketplaceIdList.")}
    assert marketplaces == ({"MarketplaceIdList.Id.1": DEMO["marketplaceId"]} if key == "changeProductImage" else {})


async def test_given_the_admin_state_route_when_a_relationship_feed_is_done_then_it_shows_the_relationship(
        make_feed_service):
    svc = await make_feed_service()
    body, changed = _establish_product_relationships(svc)

    result = await execute(svc, "establishProductRelationships", body)

    assert result["outcome"] == "ok", errors(result)
    response = await svc.client.get("/sandbox/admin/state")
    assert response.status_code == 200
    changed(response.json())
    (feed,) = response.json()["feeds"]
    assert feed["feedProcessingStatus"] == "_DONE_" and feed["feedSubmissionId"] == only_data(result)["feedSubmissionId"]


async def test_given_an_unknown_sku_in_a_price_feed_when_processed_then_the_report_has_a_13013_error_for_it(
        make_feed_service):
    svc = await make_feed_service()
    (known,) = skus(svc, 1)
    before = catalog(svc)[known]["price"]
    messages = [{"SKU": "NO-SUCH-SKU-1", "StandardPrice": {"value": 5, "currency": "USD"}},
                {"SKU": known, "StandardPrice": {"value": "21.50", "currency": "USD"}}]

    result = await execute(svc, "changeProductPrice", {"messages": messages})

    assert result["outcome"] == "ok", errors(result)
    processing = report(result)
    assert (processing["messagesProcessed"], processing["messagesSuccessful"], processing["messagesWithError"]) == (2, 1, 1)
    (error,) = processing["results"]
    assert error["messageId"] == 1 and error["resultCode"] == "Error"
    assert error["resultMessageCode"] == 13013 and isinstance(error["resultMessageCode"], int)
    assert error["sku"] == "NO-SUCH-SKU-1" and error["resultDescription"]
    assert before != "21.50" and catalog(svc)[known]["price"] == "21.50"
    validator = await svc.out_validator("actions", "changeProductPrice")
    assert [e.message[:200] for e in validator.iter_errors(only_data(result))] == []


async def test_given_an_unknown_order_id_in_update_order_when_processed_then_the_report_has_an_18028_error(
        make_feed_service):
    svc = await make_feed_service()
    known = _order_id(svc)
    messages = [{"amazonOrderID": known, "statusCode": "Success"},
                {"amazonOrderID": "999-0000000-0000000", "statusCode": "Success"}]

    result = await execute(svc, "updateOrder", {"messages": messages})

    assert result["outcome"] == "ok", errors(result)
    (error,) = report(result)["results"]
    assert (error["messageId"], error["resultCode"], error["resultMessageCode"]) == (2, "Error", 18028)
    assert error["amazonOrderID"] == "999-0000000-0000000"
    acknowledged = {o["amazonOrderId"] for o in svc.sandbox.state()["orders"] if o.get("acknowledged")}
    assert acknowledged == {known}
