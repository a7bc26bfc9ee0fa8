"""Feed documents are checked like Amazon does: against amzn-envelope.xsd when the sandbox has the
XSDs (per message where the error's line shows the message), else with a minimal structural check."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from lxml import etree

from app.sandbox import Sandbox
from app.sandbox.mws.feeds.parse import envelope_schema

from .feeds_helpers import INVENTORY, PRICING, envelope, inventory, report_results, run_feed, summary


@pytest.fixture
def sandbox(clock, xsd_dir) -> Sandbox:
    return Sandbox(clock=clock, wall=clock.time, xsd_dir=xsd_dir)


@pytest.fixture
def sku(sandbox) -> str:
    return sorted(sandbox.book.catalog)[0]


async def test_given_one_message_invalid_against_the_xsd_then_only_it_fails_and_the_others_apply(
        mws, clock, sandbox, sku):
    body = envelope(INVENTORY, inventory(sku, 9), inventory(sku, "-3"),
                    "<Inventory>\n<Quantity>1</Quantity>\n</Inventory>")
    report = await run_feed(mws, clock, INVENTORY, body)
    assert sandbox.book.catalog[sku].quantity == 9
    assert summary(report) == {"MessagesProcessed": 3, "MessagesSuccessful": 1, "MessagesWithError": 2,
                               "MessagesWithWarning": 0}
    results = report_results(report)
    assert [(r["id"], r["code"], r["messageCode"]) for r in results] == [(2, "Error", 5000), (3, "Error", 5000)]
    assert "nonNegativeInteger" in results[0]["description"] and results[0]["sku"] == sku


async def test_given_an_envelope_error_outside_any_message_then_the_whole_document_is_rejected(
        mws, clock, sandbox, sku):
    before = sandbox.book.catalog[sku].quantity
    body = envelope(INVENTORY, inventory(sku, before + 1)).replace(b"<DocumentVersion>1.01</DocumentVersion>", b"")
    report = await run_feed(mws, clock, INVENTORY, body)
    assert sandbox.book.catalog[sku].quantity == before
    assert summary(report)["MessagesProcessed"] == 0 and summary(report)["MessagesWithError"] == 1
    [result] = report_results(report)
    assert (result["id"], result["messageCode"]) == (0, 5000)
    assert "ill-formed at the Amazon Envelope XML level" in result["description"]


async def test_given_a_document_that_is_not_well_formed_then_one_result_5001_and_nothing_processed(mws, clock):
    report = await run_feed(mws, clock, INVENTORY, b"<AmazonEnvelope><Header>")
    assert summary(report)["MessagesProcessed"] == 0
    assert [(r["id"], r["messageCode"]) for r in report_results(report)] == [(0, 5001)]


async def test_given_a_document_with_a_dtd_and_entities_then_it_is_rejected_without_expanding_them(mws, clock):
    body = (b'<?xml version="1.0"?>\n<!DOCTYPE AmazonEnvelope [<!ENTITY x "expanded">]>\n'
            b"<AmazonEnvelope>&x;</AmazonEnvelope>")
    report = await run_feed(mws, clock, INVENTORY, body)
    [result] = report_results(report)
    assert result["id"] == 0 and "expanded" not in result["description"]


async def test_given_a_message_type_other_than_the_feed_types_then_the_document_is_rejected(mws, clock, sku):
    report = await run_feed(mws, clock, PRICING, envelope(INVENTORY, inventory(sku, 1)))
    assert [(r["id"], r["messageCode"]) for r in report_results(report)] == [(0, 5000)]


async def test_given_no_xsd_dir_then_a_structural_check_still_rejects_messages_without_their_payload(clock):
    import httpx

    from .helpers import Caller

    sb = Sandbox(clock=clock, wall=clock.time)
    sku = sorted(sb.book.catalog)[0]
    async with httpx.AsyncClient(transport=sb.transport()) as http:
        mws = Caller(http, clock)
        report = await run_feed(mws, clock, INVENTORY, envelope(INVENTORY, inventory(sku, 5), "<Price/>"))
        assert [(r["id"], r["messageCode"]) for r in report_results(report)] == [(2, 5000)]
        assert sb.book.catalog[sku].quantity == 5
        report = await run_feed(mws, clock, INVENTORY, b"<Nope/>")
        assert [(r["id"], r["messageCode"]) for r in report_results(report)] == [(0, 5000)]


async def test_given_a_processing_report_then_it_is_valid_against_amazons_envelope_xsd(mws, clock, xsd_dir, sku):
    report = await run_feed(mws, clock, INVENTORY, envelope(INVENTORY, inventory(sku, 1), inventory("NOPE", 1)))
    schema = envelope_schema(xsd_dir)
    assert schema.validate(etree.ElementTree(report)), schema.error_log
    assert report.get("{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation") == "amzn-envelope.xsd"
    assert report.findtext("Header/DocumentVersion") == "1.02"
    assert report.findtext("Header/MerchantIdentifier") == "A1SANDBOXSELLER"
    assert report.findtext("MessageType") == "ProcessingReport"
    assert report.findtext("Message/ProcessingReport/StatusCode") == "Complete"


def test_given_many_threads_then_the_envelope_schema_is_compiled_once(xsd_dir):
    with ThreadPoolExecutor(4) as pool:
        schemas = list(pool.map(lambda _: envelope_schema(xsd_dir), range(8)))
    assert all(s is schemas[0] for s in schemas)


async def test_given_an_xsd_dir_without_the_envelope_xsd_then_feeds_still_finish_with_the_structural_check(
        clock, tmp_path):
    import httpx

    from .helpers import Caller

    sb = Sandbox(clock=clock, wall=clock.time, xsd_dir=tmp_path)
    async with httpx.AsyncClient(transport=sb.transport()) as http:
        report = await run_feed(Caller(http, clock), clock, INVENTORY, envelope(INVENTORY, "<Price/>"))
    assert [(r["id"], r["messageCode"]) for r in report_results(report)] == [(1, 5000)]
