"""Accepted feed messages change the sandbox's catalog and orders; rejected ones give Error results."""
from __future__ import annotations

import pytest

from app.sandbox import Sandbox

from .feeds_helpers import (ACK, FULFILLMENT, IMAGE, INVENTORY, PRICING, PRODUCT, RELATIONSHIP, envelope, inventory,
                            report_results, run_feed, summary)
from .helpers import ORDERS, iso, texts, xml


@pytest.fixture
def sandbox(clock, xsd_dir) -> Sandbox:
    return Sandbox(clock=clock, wall=clock.time, xsd_dir=xsd_dir, order_every=0)


@pytest.fixture
def skus(sandbox) -> list[str]:
    return sorted(sandbox.book.catalog)


def listed(sandbox, sku: str) -> dict:
    """The SKU as GET /sandbox/admin/state shows it."""
    return next(i for i in sandbox.state()["catalog"] if i["sku"] == sku)


def open_order(sandbox):
    return next(o for o in sorted(sandbox.book.orders.values(), key=lambda o: o.amazon_order_id)
                if o.status == "Unshipped" and o.marketplace_id == "ATVPDKIKX0DER")


async def test_given_inventory_for_a_known_and_an_unknown_sku_then_one_changes_and_one_error_13013(
        mws, clock, sandbox, skus):
    report = await run_feed(mws, clock, INVENTORY, envelope(INVENTORY, inventory(skus[0], 77), inventory("NOPE-1", 1)))
    assert sandbox.book.catalog[skus[0]].quantity == 77
    assert summary(report) == {"MessagesProcessed": 2, "MessagesSuccessful": 1, "MessagesWithError": 1,
                               "MessagesWithWarning": 0}
    [error] = report_results(report)
    assert (error["id"], error["code"], error["messageCode"], error["sku"]) == (2, "Error", 13013, "NOPE-1")
    assert error["description"].startswith("This SKU does not exist in the Amazon.com catalog")


async def test_given_inventory_with_availability_and_latency_then_the_catalog_has_them(mws, clock, sandbox, skus):
    inner = f"<Inventory>\n<SKU>{skus[1]}</SKU>\n<Available>false</Available>\n" \
            "<FulfillmentLatency>3</FulfillmentLatency>\n</Inventory>"
    await run_feed(mws, clock, INVENTORY, envelope(INVENTORY, inner))
    item = listed(sandbox, skus[1])
    assert (item["sku"], item["available"], item["quantity"], item["fulfillmentLatency"]) == (skus[1], False, 0, 3)


async def test_given_a_price_feed_then_standard_and_sale_prices_change(mws, clock, sandbox, skus):
    inner = (f"<Price>\n<SKU>{skus[2]}</SKU>\n<StandardPrice currency=\"USD\">19.99</StandardPrice>\n<Sale>\n"
             "<StartDate>2030-01-01T00:00:00Z</StartDate>\n<EndDate>2030-02-01T00:00:00Z</EndDate>\n"
             "<SalePrice currency=\"USD\">14.50</SalePrice>\n</Sale>\n</Price>")
    report = await run_feed(mws, clock, PRICING, envelope(PRICING, inner, "<Price>\n<SKU>NOPE-2</SKU>\n</Price>"))
    item = listed(sandbox, skus[2])
    assert item["price"] == "19.99" and item["sale"]["price"] == "14.50"
    assert [(r["id"], r["messageCode"], r["sku"]) for r in report_results(report)] == [(2, 13013, "NOPE-2")]


async def test_given_image_updates_and_a_delete_then_the_catalog_images_follow(mws, clock, sandbox, skus):
    def image(kind, url=None, op="Update"):
        location = f"\n<ImageLocation>{url}</ImageLocation>" if url else ""
        return f"<OperationType>{op}</OperationType>\n<ProductImage>\n<SKU>{skus[3]}</SKU>\n" \
               f"<ImageType>{kind}</ImageType>{location}\n</ProductImage>"
    await run_feed(mws, clock, IMAGE, envelope(IMAGE, image("Main", "http://img.test/m.jpg"),
                                               image("PT1", "http://img.test/1.jpg")))
    assert sandbox.book.catalog[skus[3]].images == {"Main": "http://img.test/m.jpg", "PT1": "http://img.test/1.jpg"}
    await run_feed(mws, clock, IMAGE, envelope(IMAGE, image("PT1", op="Delete")))
    assert listed(sandbox, skus[3])["images"] == {"Main": "http://img.test/m.jpg"}


async def test_given_a_relationship_feed_then_the_parent_lists_its_children(mws, clock, sandbox, skus):
    inner = f"<Relationship>\n<ParentSKU>{skus[4]}</ParentSKU>\n" + "".join(
        f"<Relation>\n<SKU>{s}</SKU>\n<Type>{t}</Type>\n</Relation>\n" for s, t in
        ((skus[5], "Variation"), (skus[6], "Accessory"))) + "</Relationship>"
    bad = f"<Relationship>\n<ParentSKU>{skus[4]}</ParentSKU>\n<Relation>\n<SKU>NOPE-3</SKU>\n" \
          "<Type>Variation</Type>\n</Relation>\n</Relationship>"
    report = await run_feed(mws, clock, RELATIONSHIP, envelope(RELATIONSHIP, inner, bad))
    assert listed(sandbox, skus[4])["relationships"] == [{"sku": skus[5], "type": "Variation"},
                                                               {"sku": skus[6], "type": "Accessory"}]
    assert [(r["id"], r["sku"]) for r in report_results(report)] == [(2, "NOPE-3")]


async def test_given_an_acknowledgement_then_the_order_is_acknowledged_with_the_merchant_order_id(mws, clock, sandbox):
    order = open_order(sandbox)
    inner = f"<OrderAcknowledgement>\n<AmazonOrderID>{order.amazon_order_id}</AmazonOrderID>\n" \
            "<MerchantOrderID>M-1</MerchantOrderID>\n<StatusCode>Success</StatusCode>\n</OrderAcknowledgement>"
    report = await run_feed(mws, clock, ACK, envelope(ACK, inner))
    assert report_results(report) == [] and (order.acknowledged, order.merchant_order_id, order.status) == \
        (True, "M-1", "Unshipped")


async def test_given_a_failure_acknowledgement_then_the_order_is_canceled_and_a_poll_sees_it(mws, clock, sandbox):
    order = open_order(sandbox)
    before = clock.time() - 120
    inner = f"<OrderAcknowledgement>\n<AmazonOrderID>{order.amazon_order_id}</AmazonOrderID>\n" \
            "<StatusCode>Failure</StatusCode>\n</OrderAcknowledgement>"
    await run_feed(mws, clock, ACK, envelope(ACK, inner))
    assert order.status == "Canceled" and order.last_update_ms > before * 1000
    clock.advance(180)
    doc = xml(await mws.call(ORDERS, "ListOrders", {"MarketplaceId.Id.1": "ATVPDKIKX0DER",
                                                    "LastUpdatedAfter": iso(before)}))
    assert order.amazon_order_id in texts(doc, "AmazonOrderId")


async def test_given_an_acknowledgement_for_an_unknown_order_then_error_18028(mws, clock):
    inner = "<OrderAcknowledgement>\n<AmazonOrderID>111-0000000-0000000</AmazonOrderID>\n" \
            "<StatusCode>Success</StatusCode>\n</OrderAcknowledgement>"
    [error] = report_results(await run_feed(mws, clock, ACK, envelope(ACK, inner)))
    assert (error["messageCode"], error["order"]) == (18028, "111-0000000-0000000")
    assert "order cannot be found" in error["description"]


async def test_given_a_fulfillment_feed_then_the_order_ships(mws, clock, sandbox):
    order = open_order(sandbox)
    inner = f"<OrderFulfillment>\n<AmazonOrderID>{order.amazon_order_id}</AmazonOrderID>\n" \
            "<FulfillmentDate>2030-01-01T00:00:00Z</FulfillmentDate>\n</OrderFulfillment>"
    await run_feed(mws, clock, FULFILLMENT, envelope(FULFILLMENT, inner))
    assert order.status == "Shipped" and order.shipped == sum(i.quantity_ordered for i in order.items)


async def test_given_product_messages_then_skus_are_created_updated_and_deleted(mws, clock, sandbox, skus):
    def product(sku, title=None, op="Update"):
        description = f"\n<DescriptionData>\n<Title>{title}</Title>\n</DescriptionData>" if title else ""
        return f"<OperationType>{op}</OperationType>\n<Product>\n<SKU>{sku}</SKU>{description}\n</Product>"
    report = await run_feed(mws, clock, PRODUCT, envelope(
        PRODUCT, product("NEW-SKU-1", "A New Thing"), product(skus[7], "Renamed"), product(skus[8], op="Delete"),
        product("NEW-SKU-2")))
    catalog = sandbox.book.catalog
    assert catalog["NEW-SKU-1"].title == "A New Thing" and catalog[skus[7]].title == "Renamed"
    assert skus[8] not in catalog and "NEW-SKU-2" not in catalog
    assert [(r["id"], r["messageCode"]) for r in report_results(report)] == [(4, 8560)]
    report = await run_feed(mws, clock, INVENTORY, envelope(INVENTORY, inventory("NEW-SKU-1", 4)))
    assert report_results(report) == [] and catalog["NEW-SKU-1"].quantity == 4
