"""Feeds 2021-06-30 over the shared catalog and orders: documents, lifecycle, reports, cancel, lists."""
from __future__ import annotations

import json

import httpx
import jsonschema
import pytest

from app.sandbox import Sandbox

from .helpers import FEEDS, JSON_TYPE, XML_TYPE, SpCaller, error, listings_schema

DONE_AFTER = 66                      # seconds of sandbox time: 5 s in the queue, 60 s of processing


def listings(*messages: dict, seller: str = "A1SANDBOXSELLER") -> bytes:
    numbered = [{"messageId": n, **m} for n, m in enumerate(messages, 1)]
    return json.dumps({"header": {"sellerId": seller, "version": "2.0", "issueLocale": "en_US"},
                       "messages": numbered}).encode()


def patch(sku: str, attribute: str, value: list | None, op: str = "replace") -> dict:
    p = {"op": op, "path": f"/attributes/{attribute}", **({"value": value} if value is not None else {})}
    return {"sku": sku, "operationType": "PATCH", "productType": "PRODUCT", "patches": [p]}


def acknowledgement(order_id: str, merchant_order_id: str, status: str = "Success") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            ' xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">\n<Header>\n<DocumentVersion>1.01</DocumentVersion>\n'
            '<MerchantIdentifier>A1SANDBOXSELLER</MerchantIdentifier>\n</Header>\n'
            '<MessageType>OrderAcknowledgement</MessageType>\n<Message>\n<MessageID>1</MessageID>\n'
            f'<OrderAcknowledgement>\n<AmazonOrderID>{order_id}</AmazonOrderID>\n'
            f'<MerchantOrderID>{merchant_order_id}</MerchantOrderID>\n<StatusCode>{status}</StatusCode>\n'
            '</OrderAcknowledgement>\n</Message>\n</AmazonEnvelope>').encode()


@pytest.fixture
def skus(sandbox) -> list[str]:
    return sorted(sandbox.book.catalog)


async def catalog(web) -> dict[str, dict]:
    return {item["sku"]: item for item in (await web.get("/sandbox/admin/state")).json()["catalog"]}


async def test_given_a_feed_when_time_passes_then_in_queue_in_progress_done_with_dates(sp, clock, skus):
    feed_id = await sp.submit(listings(patch(skus[0], "fulfillment_availability",
                                             [{"fulfillment_channel_code": "DEFAULT", "quantity": 3}])),
                              "JSON_LISTINGS_FEED")
    seen = []
    for wait in (0, 10, 60):
        clock.advance(wait)
        seen.append((await sp.get(f"{FEEDS}/feeds/{feed_id}")).json())
    assert [f["processingStatus"] for f in seen] == ["IN_QUEUE", "IN_PROGRESS", "DONE"]
    assert "processingStartTime" not in seen[0] and "processingEndTime" not in seen[1]
    assert seen[2]["resultFeedDocumentId"].startswith("amzn1.tortuga.")
    assert seen[2]["marketplaceIds"] == ["ATVPDKIKX0DER"] and seen[2]["feedType"] == "JSON_LISTINGS_FEED"


async def test_given_an_upload_with_another_content_type_then_s3_refuses_it_with_xml(sp, web):
    created = (await sp.post(f"{FEEDS}/documents", {"contentType": JSON_TYPE})).json()
    for content_type in ("application/json", "text/xml; charset=UTF-8", "application/json; charset=utf-8"):
        response = await web.put(created["url"], content=b"{}", headers={"content-type": content_type})
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/xml"
        assert b"<Code>SignatureDoesNotMatch</Code>" in response.content
    assert (await web.put(created["url"], content=b"{}", headers={"content-type": JSON_TYPE})).status_code == 200


async def test_given_an_upload_url_older_than_five_minutes_or_tampered_then_403(sp, web, clock):
    created = (await sp.post(f"{FEEDS}/documents", {"contentType": JSON_TYPE})).json()
    tampered = created["url"].replace("X-Amz-Signature=", "X-Amz-Signature=0")
    assert b"SignatureDoesNotMatch" in (await web.put(tampered, content=b"{}", headers={"content-type": JSON_TYPE})).content
    assert (await web.get(created["url"])).status_code == 403          # an upload URL is not a download URL
    clock.advance(301)
    response = await web.put(created["url"], content=b"{}", headers={"content-type": JSON_TYPE})
    assert response.status_code == 403 and b"<Message>Request has expired</Message>" in response.content


async def test_given_create_feed_inputs_the_model_forbids_then_400(sp):
    document = (await sp.post(f"{FEEDS}/documents", {"contentType": JSON_TYPE})).json()["feedDocumentId"]
    good = {"feedType": "JSON_LISTINGS_FEED", "marketplaceIds": ["ATVPDKIKX0DER"], "inputFeedDocumentId": document}
    for bad in ({**good, "feedType": "NOT_A_FEED"}, {**good, "marketplaceIds": []},
                {**good, "marketplaceIds": ["A1PA6795UKMFR9"]}, {**good, "inputFeedDocumentId": "badDocumentId"},
                {k: v for k, v in good.items() if k != "feedType"}):
        assert error(await sp.post(f"{FEEDS}/feeds", bad)) == (400, "InvalidInput"), bad
    assert error(await sp.post(f"{FEEDS}/documents", {})) == (400, "InvalidInput")


async def test_given_json_listings_with_problems_then_issues_per_message_in_a_gzip_json_report(sp, clock, skus, web):
    before = await catalog(web)
    feed_id = await sp.submit(listings(
        patch(skus[0], "fulfillment_availability", [{"fulfillment_channel_code": "DEFAULT", "quantity": 42}]),
        patch("NO-SUCH-SKU", "fulfillment_availability", [{"fulfillment_channel_code": "DEFAULT", "quantity": 1}]),
        patch(skus[1], "fulfillment_availability", [{"fulfillment_channel_code": "DEFAULT", "quantity": "ten"}]),
        patch(skus[2], "purchasable_offer", [{"our_price": [{"schedule": [{"value_with_tax": 9.99}]}]}]),
        {"sku": skus[3], "operationType": "PATCH", "productType": "PRODUCT"},
    ), "JSON_LISTINGS_FEED")
    clock.advance(DONE_AFTER)
    feed, raw = await sp.result(feed_id)
    report = json.loads(raw)
    jsonschema.Draft7Validator(listings_schema("listings-feed-processing-report-schema-v2.json")).validate(report)
    assert feed["processingStatus"] == "DONE"
    assert report["header"] == {"sellerId": "A1SANDBOXSELLER", "version": "2.0", "feedId": feed_id}
    assert report["summary"] == {"errors": len(report["issues"]), "warnings": 0, "messagesProcessed": 5,
                                 "messagesAccepted": 1, "messagesInvalid": 4}
    by_message = {i["messageId"]: i for i in report["issues"]}
    assert sorted(by_message) == [2, 3, 4, 5]
    assert by_message[2]["sku"] == "NO-SUCH-SKU" and "does not exist" in by_message[2]["message"]
    assert by_message[3]["attributeName"] == "fulfillment_availability" and "quantity" in by_message[3]["message"]
    assert by_message[4]["attributeName"] == "purchasable_offer" and "currency" in by_message[4]["message"]
    assert by_message[5]["code"] == "4002008"
    after = await catalog(web)
    assert after[skus[0]]["quantity"] == 42
    assert {s: after[s] for s in skus[1:4]} == {s: before[s] for s in skus[1:4]}


async def test_given_accepted_patches_then_the_shared_catalog_shows_quantity_price_images_and_relationships(
        sp, clock, skus, web):
    parent, child = skus[0], skus[1]
    feed_id = await sp.submit(listings(
        patch(parent, "purchasable_offer", [{"marketplace_id": "ATVPDKIKX0DER", "currency": "USD",
                                             "our_price": [{"schedule": [{"value_with_tax": 19.5}]}],
                                             "discounted_price": [{"schedule": [{
                                                 "value_with_tax": 15, "start_at": "2026-10-01T00:00:00Z",
                                                 "end_at": "2026-10-08T00:00:00Z"}]}]}]),
        patch(parent, "main_product_image_locator", [{"marketplace_id": "ATVPDKIKX0DER",
                                                      "media_location": "https://example.com/main.jpg"}]),
        patch(parent, "other_product_image_locator_2", [{"media_location": "https://example.com/pt2.jpg"}]),
        patch(child, "child_parent_sku_relationship", [{"marketplace_id": "ATVPDKIKX0DER",
                                                        "child_relationship_type": "variation", "parent_sku": parent}]),
        patch(child, "fulfillment_availability", [{"fulfillment_channel_code": "DEFAULT", "quantity": 0,
                                                   "lead_time_to_ship_max_days": 4}]),
    ), "JSON_LISTINGS_FEED")
    clock.advance(DONE_AFTER)
    _, raw = await sp.result(feed_id)
    assert json.loads(raw)["issues"] == []
    items = await catalog(web)
    assert (items[parent]["price"], items[parent]["currency"]) == ("19.50", "USD")
    assert items[parent]["sale"] == {"price": "15.00", "currency": "USD", "start": "2026-10-01T00:00:00Z",
                                     "end": "2026-10-08T00:00:00Z"}
    assert items[parent]["images"] == {"Main": "https://example.com/main.jpg", "PT2": "https://example.com/pt2.jpg"}
    assert items[parent]["relationships"] == [{"sku": child, "type": "Variation"}]
    assert (items[child]["quantity"], items[child]["fulfillmentLatency"]) == (0, 4)


async def test_given_a_delete_image_patch_and_an_update_of_a_new_sku_then_both_apply(sp, clock, skus, web):
    first = await sp.submit(listings(patch(skus[0], "swatch_product_image_locator",
                                           [{"media_location": "https://example.com/s.jpg"}])), "JSON_LISTINGS_FEED")
    clock.advance(DONE_AFTER)
    second = await sp.submit(listings(
        patch(skus[0], "swatch_product_image_locator", None, op="delete"),
        {"sku": "NEW-SKU-1", "operationType": "UPDATE", "productType": "LUGGAGE",
         "attributes": {"item_name": [{"value": "A new bag", "marketplace_id": "ATVPDKIKX0DER"}]}},
        {"sku": "NEW-SKU-2", "operationType": "UPDATE", "productType": "LUGGAGE",
         "attributes": {"brand": [{"value": "Nameless"}]}}), "JSON_LISTINGS_FEED")
    clock.advance(DONE_AFTER)
    assert (await sp.result(first))[0]["processingStatus"] == "DONE"
    report = json.loads((await sp.result(second))[1])
    assert [(i["messageId"], i["code"]) for i in report["issues"]] == [(3, "90220")]
    items = await catalog(web)
    assert "images" not in items[skus[0]]
    assert (items["NEW-SKU-1"]["title"], items["NEW-SKU-1"]["category"]) == ("A new bag", "LUGGAGE")
    assert "NEW-SKU-2" not in items


@pytest.mark.parametrize("document", [b"{not json", listings(seller="A2OTHERSELLER"), b'{"header": {}}'])
async def test_given_a_document_that_is_not_a_listings_feed_then_fatal_with_a_feed_level_issue(sp, clock, document):
    feed_id = await sp.submit(document, "JSON_LISTINGS_FEED")
    clock.advance(DONE_AFTER)
    feed, raw = await sp.result(feed_id)
    report = json.loads(raw)
    assert feed["processingStatus"] == "FATAL"
    assert len(report["issues"]) == 1 and "messageId" not in report["issues"][0]
    assert report["summary"]["messagesProcessed"] == 0


async def test_given_an_order_acknowledgement_feed_then_the_order_is_acknowledged_with_an_xml_report(
        sp, clock, sandbox, web):
    order = next(o for o in sandbox.book.orders.values() if o.status == "Unshipped")
    feed_id = await sp.submit(acknowledgement(order.amazon_order_id, "MY-ORDER-7"),
                              "POST_ORDER_ACKNOWLEDGEMENT_DATA", content_type=XML_TYPE)
    clock.advance(DONE_AFTER)
    feed, raw = await sp.result(feed_id)
    assert feed["processingStatus"] == "DONE"
    assert b"<MessageType>ProcessingReport</MessageType>" in raw
    assert b"<MessagesSuccessful>1</MessagesSuccessful>" in raw
    state = {o["amazonOrderId"]: o for o in (await web.get("/sandbox/admin/state")).json()["orders"]}
    assert state[order.amazon_order_id]["acknowledged"] is True
    assert state[order.amazon_order_id]["merchantOrderId"] == "MY-ORDER-7"


async def test_given_a_retired_xml_listing_feed_or_no_upload_then_fatal_without_a_report(sp, clock):
    retired = await sp.submit(b"<AmazonEnvelope/>", "POST_INVENTORY_AVAILABILITY_DATA", content_type=XML_TYPE)
    document = (await sp.post(f"{FEEDS}/documents", {"contentType": JSON_TYPE})).json()["feedDocumentId"]
    empty = (await sp.post(f"{FEEDS}/feeds", {"feedType": "JSON_LISTINGS_FEED", "marketplaceIds": ["ATVPDKIKX0DER"],
                                              "inputFeedDocumentId": document})).json()["feedId"]
    clock.advance(2 * DONE_AFTER)
    for feed_id in (retired, empty):
        feed, raw = await sp.result(feed_id)
        assert (feed["processingStatus"], raw) == ("FATAL", None)


async def test_given_a_feed_in_queue_when_cancelled_then_cancelled_and_never_run(sp, clock, skus, web):
    quantity = (await catalog(web))[skus[0]]["quantity"]
    feed_id = await sp.submit(listings(patch(skus[0], "fulfillment_availability",
                                             [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity + 1}])),
                              "JSON_LISTINGS_FEED")
    response = await sp.delete(f"{FEEDS}/feeds/{feed_id}")
    assert (response.status_code, response.content) == (200, b"")
    clock.advance(DONE_AFTER)
    feed, raw = await sp.result(feed_id)
    assert (feed["processingStatus"], raw) == ("CANCELLED", None)
    assert (await catalog(web))[skus[0]]["quantity"] == quantity


async def test_given_a_feed_that_started_when_cancelled_then_400_and_unknown_ids_404_or_400(sp, clock, skus):
    feed_id = await sp.submit(listings(patch(skus[0], "item_name", [{"value": "x"}])), "JSON_LISTINGS_FEED")
    clock.advance(10)
    assert error(await sp.delete(f"{FEEDS}/feeds/{feed_id}")) == (400, "InvalidInput")
    assert error(await sp.get(f"{FEEDS}/feeds/12345")) == (404, "NotFound")
    assert error(await sp.get(f"{FEEDS}/feeds/badFeedId1")) == (400, "InvalidInput")
    assert error(await sp.get(f"{FEEDS}/documents/badDocumentId1")) == (400, "InvalidInput")


async def test_given_feeds_when_listing_then_filters_pages_newest_first_and_next_token_alone(sp, clock, skus):
    ids = []
    for n in range(3):
        ids.append(await sp.submit(listings(patch(skus[n], "item_name", [{"value": f"t{n}"}])), "JSON_LISTINGS_FEED"))
        clock.advance(1)
    assert error(await sp.get(f"{FEEDS}/feeds")) == (400, "InvalidInput")
    first = (await sp.get(f"{FEEDS}/feeds", {"feedTypes": "JSON_LISTINGS_FEED", "pageSize": 2})).json()
    assert [f["feedId"] for f in first["feeds"]] == ids[::-1][:2]
    again = {"nextToken": first["nextToken"], "pageSize": 2}
    assert error(await sp.get(f"{FEEDS}/feeds", again)) == (400, "InvalidInput")
    second = (await sp.get(f"{FEEDS}/feeds", {"nextToken": first["nextToken"]})).json()
    assert [f["feedId"] for f in second["feeds"]] == ids[:1] and "nextToken" not in second
    queued = (await sp.get(f"{FEEDS}/feeds", {"feedTypes": "JSON_LISTINGS_FEED",
                                              "processingStatuses": "DONE"})).json()
    assert queued["feeds"] == []


async def test_given_amazons_xsds_when_an_acknowledgement_is_invalid_then_the_xml_report_says_so(clock, xsd_dir):
    sandbox = Sandbox(clock=clock, wall=clock.time, xsd_dir=xsd_dir, order_every=0)
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url="http://sandbox.local") as web:
        sp = SpCaller(web, sandbox, clock)
        body = acknowledgement("111-0000000-0000000", "M-1", status="Maybe")
        feed_id = await sp.submit(body, "POST_ORDER_ACKNOWLEDGEMENT_DATA", content_type=XML_TYPE)
        clock.advance(DONE_AFTER)
        feed, raw = await sp.result(feed_id)
    assert feed["processingStatus"] == "DONE"
    assert b"<MessagesWithError>1</MessagesWithError>" in raw and b"<ResultMessageCode>5000</ResultMessageCode>" in raw


async def test_given_a_time_scale_then_feeds_finish_sooner_on_the_sandbox_clock(clock):
    sandbox = Sandbox(clock=clock, wall=clock.time, time_scale=60)
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url="http://sandbox.local") as web:
        sp = SpCaller(web, sandbox, clock)
        feed_id = await sp.submit(listings(patch(sorted(sandbox.book.catalog)[0], "item_name", [{"value": "x"}])),
                                  "JSON_LISTINGS_FEED")
        clock.advance(DONE_AFTER / 60 + 0.1)
        assert (await sp.get(f"{FEEDS}/feeds/{feed_id}")).json()["processingStatus"] == "DONE"
