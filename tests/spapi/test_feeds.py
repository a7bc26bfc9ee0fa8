"""The feed actions on SP-API (sp-api.md §5): createFeedDocument → upload of the exact bytes → createFeed →
getFeed every RESPONSE_CHECK_DELAY → getFeedDocument → the gunzipped report as the same processingReport
as on MWS; the JSON listings document valid against Amazon's schema and applied to the shared catalog;
resumed without a second feed; FATAL and CANCELLED as errors; a lost createFeed never resent."""
from __future__ import annotations

import json

import httpx
import jsonschema
import pytest
from feed_actions_helpers import catalog, execute, only_data, skus, snapshots
from orders_helpers import QUIET, errors
from spapi_helpers import FEEDS, calls_to, spapi_out_validator

from tests.conftest import SHARED, require_shared

LISTINGS_SCHEMA = SHARED / "amazon-reference" / "sp-api" / "json-listings-feed" / "listings-feed-schema-v2.json"
DOCUMENT_UPLOADS = "/sandbox/documents/"


@pytest.fixture(scope="module")
def amazon_schema():
    return jsonschema.Draft7Validator(json.loads(require_shared(LISTINGS_SCHEMA).read_text()))


def _creates(svc) -> list:
    return [c for c in calls_to(svc, f"{FEEDS}/feeds", "POST") if c.path == f"{FEEDS}/feeds"]


def _uploads(svc) -> list:
    return calls_to(svc, DOCUMENT_UPLOADS, "PUT")


def _polls(svc) -> list:
    return [c for c in calls_to(svc, f"{FEEDS}/feeds/", "GET")]


async def _valid_out(svc, key, body):
    (await spapi_out_validator(svc, "actions", key)).validate(body)


@pytest.mark.parametrize("key, build, check", [
    ("submitInventory", lambda sku: {"SKU": sku, "Quantity": 7},
     lambda item: item["quantity"] == 7),
    ("updateItem", lambda sku: {"SKU": sku, "Quantity": 3},
     lambda item: item["quantity"] == 3),
    ("changeProductPrice", lambda sku: {"SKU": sku, "StandardPrice": {"value": "12.34", "currency": "USD"}},
     lambda item: item["price"] in ("12.34", 12.34, "USD 12.34") or "12.34" in json.dumps(item)),
])
async def test_given_a_listing_action_on_spapi_then_a_valid_json_listings_document_applied_to_the_catalog(
        make_spapi, amazon_schema, key, build, check):
    svc = await make_spapi(order_every=QUIET)
    [sku] = skus(svc, 1)
    result = await execute(svc, key, {"messages": [build(sku)]})
    assert result["outcome"] == "ok", errors(result)
    [upload] = _uploads(svc)
    document = json.loads(upload.body)
    assert [e.message[:200] for e in amazon_schema.iter_errors(document)] == []
    assert document["header"]["sellerId"] == svc.cfg["sellerId"]
    assert [m["sku"] for m in document["messages"]] == [sku]
    assert upload.headers["content-type"] == "application/json; charset=UTF-8"
    [create] = _creates(svc)
    sent = json.loads(create.body)
    assert sent["feedType"] == "JSON_LISTINGS_FEED" and sent["marketplaceIds"] == [svc.cfg["marketplaceId"]]
    body = only_data(result)
    assert body["feedProcessingStatus"] == "DONE"
    assert body["processingReport"]["messagesSuccessful"] == 1
    assert check(catalog(svc)[sku]), catalog(svc)[sku]
    await _valid_out(svc, key, body)


async def test_given_an_unknown_sku_on_spapi_then_amazons_issue_in_the_report_and_the_rest_applied(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    [sku] = skus(svc, 1)
    result = await execute(svc, "submitInventory", {"messages": [{"SKU": sku, "Quantity": 4},
                                                                 {"SKU": "NO-SUCH-SKU", "Quantity": 1}]})
    report = only_data(result)["processingReport"]
    assert (report["messagesProcessed"], report["messagesSuccessful"], report["messagesWithError"]) == (2, 1, 1)
    [issue] = report["results"]
    assert issue["messageId"] == 2 and issue["sku"] == "NO-SUCH-SKU" and issue["resultCode"] == "Error"
    assert catalog(svc)[sku]["quantity"] == 4
    await _valid_out(svc, "submitInventory", only_data(result))


async def test_given_polls_on_spapi_then_every_response_check_delay(make_spapi):
    svc = await make_spapi(order_every=QUIET, response_check_delay_ms=45_000)
    [sku] = skus(svc, 1)
    result = await execute(svc, "submitInventory", {"SKU": sku, "Quantity": 2})
    assert result["outcome"] == "ok", errors(result)
    times = [c.at for c in _polls(svc) if "/documents" not in c.path]
    assert len(times) >= 2
    assert [round(b - a, 3) for a, b in zip(times, times[1:])] == [45.0] * (len(times) - 1)  # and no extra getFeed


async def test_given_a_rebound_while_amazon_processes_then_the_next_call_resumes_the_same_feed(make_spapi):
    svc = await make_spapi(order_every=QUIET, step_timeout_ms=40_000)
    [sku] = skus(svc, 1)
    first = await execute(svc, "submitInventory", {"SKU": sku, "Quantity": 6})
    assert first["outcome"] == "rebound", errors(first)
    feed_id = first["snapshot"]["feedSubmissionId"]
    svc.clock.advance(600)
    second = await execute(svc, "submitInventory", {"SKU": sku, "Quantity": 6}, snapshot=first["snapshot"])
    assert second["outcome"] == "ok", errors(second)
    assert only_data(second)["feedSubmissionId"] == feed_id
    assert len(_creates(svc)) == 1 and len(_uploads(svc)) == 1


async def test_given_a_lost_create_feed_answer_then_an_error_that_says_so_and_never_resent(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    [sku] = skus(svc, 1)
    svc.sandbox.faults.add("createFeed", "drop")
    for _ in range(2):  # the platform retries the same message
        response = await svc.client.post("/actions/submitInventory/execute", json={
            "cfg": svc.cfg, "msg": {"id": "lost-1", "body": {"SKU": sku, "Quantity": 1}}})
        result = response.json()
        assert result["outcome"] == "error"
        [error] = errors(result)
        assert error["retriable"] is False and "may have" in error["message"] and "accepted" in error["message"]
    assert len(_creates(svc)) == 1


class _BreakUpload(httpx.AsyncBaseTransport):
    """Uploads a document that is not a listings feed in place of the one sent (Amazon: FATAL)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and DOCUMENT_UPLOADS in request.url.path:
            request = httpx.Request("PUT", request.url, headers=request.headers, content=b'{"not": "a feed"}')
        return await self.inner.handle_async_request(request)


class _CancelFirst(httpx.AsyncBaseTransport):
    """Cancels the feed (cancelFeed) just before the component first asks where it stands."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.done = inner, False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.done and request.method == "GET" and f"{FEEDS}/feeds/" in request.url.path:
            self.done = True
            cancel = httpx.Request("DELETE", request.url, headers=request.headers)
            await self.inner.handle_async_request(cancel)
        return await self.inner.handle_async_request(request)


async def test_given_a_fatal_feed_then_the_report_then_feed_fatal(make_spapi):
    svc = await make_spapi(order_every=QUIET, wrap=_BreakUpload)
    [sku] = skus(svc, 1)
    result = await execute(svc, "submitInventory", {"SKU": sku, "Quantity": 1})
    assert result["outcome"] == "error"
    assert errors(result)[0]["code"] == "FeedFatal"
    assert len(_creates(svc)) == 1


async def test_given_a_cancelled_feed_then_feed_cancelled(make_spapi):
    svc = await make_spapi(order_every=QUIET, wrap=_CancelFirst)
    [sku] = skus(svc, 1)
    result = await execute(svc, "submitInventory", {"SKU": sku, "Quantity": 1})
    assert result["outcome"] == "error"
    assert errors(result)[0]["code"] == "FeedCancelled"


async def test_given_an_order_acknowledgement_on_spapi_then_the_xml_feed_applied_to_the_order(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    order = next(o for o in svc.sandbox.state()["orders"] if o["orderStatus"] in ("Unshipped", "Pending"))
    result = await execute(svc, "updateOrder", {"messages": [{"amazonOrderID": order["amazonOrderId"],
                                                             "statusCode": "Failure"}]})
    assert result["outcome"] == "ok", errors(result)
    [create] = _creates(svc)
    assert json.loads(create.body)["feedType"] == "POST_ORDER_ACKNOWLEDGEMENT_DATA"
    [upload] = _uploads(svc)
    assert upload.body.startswith(b"<?xml") and b"OrderAcknowledgement" in upload.body
    assert only_data(result)["processingReport"]["messagesSuccessful"] == 1
    after = next(o for o in svc.sandbox.state()["orders"] if o["amazonOrderId"] == order["amazonOrderId"])
    assert after["orderStatus"] == "Canceled"
    await _valid_out(svc, "updateOrder", only_data(result))


async def test_given_a_feed_on_spapi_then_status_and_result_actions_answer_it(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    [sku] = skus(svc, 1)
    done = await execute(svc, "submitInventory", {"SKU": sku, "Quantity": 5})
    feed_id = only_data(done)["feedSubmissionId"]
    status = await execute(svc, "getFeedSubmissionStatus", {"feedSubmissionId": feed_id})
    assert status["outcome"] == "ok", errors(status)
    assert only_data(status)["feedProcessingStatus"] == "DONE"
    await _valid_out(svc, "getFeedSubmissionStatus", only_data(status))
    result = await execute(svc, "getFeedSubmissionResult", {"feedSubmissionId": feed_id})
    assert result["outcome"] == "ok", errors(result)
    assert only_data(result)["processingReport"] == only_data(done)["processingReport"]
    await _valid_out(svc, "getFeedSubmissionResult", only_data(result))
    assert snapshots(done)


async def test_given_images_on_spapi_then_the_locators_patched_and_valid(make_spapi, amazon_schema):
    svc = await make_spapi(order_every=QUIET)
    [sku] = skus(svc, 1)
    result = await execute(svc, "changeProductImage", {"messages": [
        {"SKU": sku, "ImageType": "Main", "ImageLocation": "https://example.com/main.jpg"},
        {"SKU": sku, "ImageType": "PT1", "ImageLocation": "https://example.com/pt1.jpg"}]})
    assert result["outcome"] == "ok", errors(result)
    document = json.loads(_uploads(svc)[0].body)
    assert [e.message[:200] for e in amazon_schema.iter_errors(document)] == []
    paths = [p["path"] for m in document["messages"] for p in m["patches"]]
    assert paths == ["/attributes/main_product_image_locator", "/attributes/other_product_image_locator_1"]
    report = only_data(result)["processingReport"]
    assert report["messagesSuccessful"] == 2 and report["messagesWithError"] == 0
    await _valid_out(svc, "changeProductImage", only_data(result))


async def test_given_a_variation_family_on_spapi_then_parent_and_children_patched_and_applied(make_spapi, amazon_schema):
    svc = await make_spapi(order_every=QUIET)
    parent, first, second = skus(svc, 3)
    result = await execute(svc, "establishProductRelationships", {"ParentSKU": parent, "variationTheme": "COLOR",
                                                                   "Relation": [{"SKU": first, "Type": "Variation"},
                                                                                {"SKU": second, "Type": "Variation"}]})
    assert result["outcome"] == "ok", errors(result)
    document = json.loads(_uploads(svc)[0].body)
    assert [e.message[:200] for e in amazon_schema.iter_errors(document)] == []
    assert [m["sku"] for m in document["messages"]] == [parent, first, second]
    assert only_data(result)["processingReport"]["messagesWithError"] == 0
    await _valid_out(svc, "establishProductRelationships", only_data(result))


async def test_given_a_product_on_spapi_then_its_type_and_attributes_go_as_given_and_the_title_changes(
        make_spapi, amazon_schema):
    svc = await make_spapi(order_every=QUIET)
    [sku] = skus(svc, 1)
    cfg = {**svc.cfg, "category": "LUGGAGE", "operation": "PartialUpdate"}
    response = await svc.client.post("/actions/submitProduct/execute", json={"cfg": cfg, "msg": {"body": {
        "SKU": sku, "productType": "LUGGAGE",
        "attributes": {"item_name": [{"value": "Wooden train set", "marketplace_id": "ATVPDKIKX0DER"}]}}}})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["outcome"] == "ok", errors(result)
    document = json.loads(_uploads(svc)[0].body)
    assert [e.message[:200] for e in amazon_schema.iter_errors(document)] == []
    [message] = document["messages"]
    assert message["operationType"] == "PARTIAL_UPDATE" and message["productType"] == "LUGGAGE"
    assert catalog(svc)[sku]["title"] == "Wooden train set"


async def test_given_a_500_on_create_feed_then_exactly_one_create_feed_and_an_error_that_says_so(make_spapi):
    svc = await make_spapi(order_every=QUIET)
    [sku] = skus(svc, 1)
    svc.sandbox.faults.add("createFeed", "500")
    result = await execute(svc, "submitInventory", {"SKU": sku, "Quantity": 1})
    assert result["outcome"] == "error"
    assert "may have" in errors(result)[0]["message"]
    assert len(_creates(svc)) == 1


async def test_given_a_product_whose_type_comes_in_the_payload_on_spapi_then_the_same_listings_feed(
        make_spapi, amazon_schema):
    svc = await make_spapi(order_every=QUIET)
    [sku] = skus(svc, 1)
    response = await svc.client.post("/actions/submitProductCategoryFromPayload/execute", json={
        "cfg": {**svc.cfg, "operation": "PartialUpdate"}, "msg": {"body": {
            "SKU": sku, "productType": "LUGGAGE",
            "attributes": {"item_name": [{"value": "Carry-on case", "marketplace_id": "ATVPDKIKX0DER"}]}}}})
    result = response.json()
    assert result["outcome"] == "ok", errors(result)
    document = json.loads(_uploads(svc)[0].body)
    assert [e.message[:200] for e in amazon_schema.iter_errors(document)] == []
    assert document["messages"][0]["productType"] == "LUGGAGE"
    assert catalog(svc)[sku]["title"] == "Carry-on case"
