"""Feed documents and round trips for the Feeds tests: build an envelope, submit it, let the sandbox
clock run until the feed is done, fetch its processing report."""
from __future__ import annotations

import base64
import hashlib

import httpx
from lxml import etree

from .helpers import FEEDS, Caller, text, xml

INVENTORY = "_POST_INVENTORY_AVAILABILITY_DATA_"
PRICING = "_POST_PRODUCT_PRICING_DATA_"
IMAGE = "_POST_PRODUCT_IMAGE_DATA_"
RELATIONSHIP = "_POST_PRODUCT_RELATIONSHIP_DATA_"
ACK = "_POST_ORDER_ACKNOWLEDGEMENT_DATA_"
PRODUCT = "_POST_PRODUCT_DATA_"
FULFILLMENT = "_POST_ORDER_FULFILLMENT_DATA_"
MESSAGE_TYPES = {INVENTORY: "Inventory", PRICING: "Price", IMAGE: "ProductImage", RELATIONSHIP: "Relationship",
                 ACK: "OrderAcknowledgement", PRODUCT: "Product", FULFILLMENT: "OrderFulfillment"}
US = {"MarketplaceIdList.Id.1": "ATVPDKIKX0DER"}
DONE_AFTER = 66          # seconds of sandbox time: 5 s before it starts, 60 s of processing


def md5(body: bytes) -> str:
    return base64.b64encode(hashlib.md5(body).digest()).decode()


def envelope(feed_type: str, *messages: str, merchant: str = "A1SANDBOXSELLER") -> bytes:
    """An AmazonEnvelope, one element per line, each message given as the XML after its MessageID."""
    message_type = MESSAGE_TYPES[feed_type]
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">',
             "<Header>", "<DocumentVersion>1.01</DocumentVersion>",
             f"<MerchantIdentifier>{merchant}</MerchantIdentifier>", "</Header>",
             f"<MessageType>{message_type}</MessageType>"]
    for n, inner in enumerate(messages, 1):
        parts += ["<Message>", f"<MessageID>{n}</MessageID>", inner, "</Message>"]
    parts.append("</AmazonEnvelope>")
    return "\n".join(parts).encode()


def inventory(sku: str, quantity: int | str = 5) -> str:
    return f"<Inventory>\n<SKU>{sku}</SKU>\n<Quantity>{quantity}</Quantity>\n</Inventory>"


async def submit_id(mws: Caller, feed_type: str, body: bytes, extra: dict | None = None) -> str:
    response = await mws.submit(body, {"FeedType": feed_type, **US, **(extra or {})})
    assert response.status_code == 200, response.text
    return text(xml(response), "SubmitFeedResult/FeedSubmissionInfo/FeedSubmissionId")


async def result(mws: Caller, feed_id: str) -> httpx.Response:
    return await mws.call(FEEDS, "GetFeedSubmissionResult", {"FeedSubmissionId": feed_id})


async def run_feed(mws: Caller, clock, feed_type: str, body: bytes) -> etree._Element:
    """Submit, let it finish on the sandbox clock, and return its processing report."""
    feed_id = await submit_id(mws, feed_type, body)
    clock.advance(DONE_AFTER)
    response = await result(mws, feed_id)
    assert response.status_code == 200, response.text
    return etree.fromstring(response.content)


def report_results(report: etree._Element) -> list[dict]:
    out = []
    for r in report.iter("Result"):
        out.append({"id": int(r.findtext("MessageID")), "code": r.findtext("ResultCode"),
                    "messageCode": int(r.findtext("ResultMessageCode")), "description": r.findtext("ResultDescription"),
                    "sku": r.findtext("AdditionalInfo/SKU"), "order": r.findtext("AdditionalInfo/AmazonOrderID")})
    return out


def summary(report: etree._Element) -> dict[str, int]:
    el = report.find("Message/ProcessingReport/ProcessingSummary")
    return {child.tag: int(child.text) for child in el}
