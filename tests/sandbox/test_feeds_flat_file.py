"""Flat-file feeds: a tab-separated body in, Amazon's tab-separated processing report out, read end
to end by the client's report parser (mws-api.md §4.4)."""
from __future__ import annotations

import httpx

from app.mws.feeds import MWSFeeds
from app.mws.client import MWSClient
from app.mws.credentials import Credentials
from app.pacing.pacer import Pacer
from app.sandbox import DEMO
from app.settings import Settings

from .feeds_helpers import DONE_AFTER, INVENTORY, US, result, submit_id
from .helpers import error_code, text, xml

INVLOADER = "_POST_FLAT_FILE_INVLOADER_DATA_"
PRICE_AND_QUANTITY = "_POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA_"
TSV = "text/tab-separated-values; charset=UTF-8"


def flat(*rows: tuple[str, ...], header: tuple[str, ...] = ("sku", "quantity", "price", "add-delete")) -> bytes:
    return ("\n".join("\t".join(row) for row in (header, *rows)) + "\n").encode()


def skus(sandbox) -> list[str]:
    return sorted(sandbox.book.catalog)


async def run(mws, clock, feed_type: str, body: bytes) -> httpx.Response:
    response = await mws.submit(body, {"FeedType": feed_type, **US}, content_type=TSV)
    assert response.status_code == 200, response.text
    feed_id = text(xml(response), "SubmitFeedResult/FeedSubmissionInfo/FeedSubmissionId")
    clock.advance(DONE_AFTER)
    return await result(mws, feed_id)


async def test_given_a_flat_file_inventory_feed_when_done_then_its_report_is_tab_separated_text_as_amazon_sends(
        mws, clock, sandbox):
    first, second = skus(sandbox)[:2]
    response = await run(mws, clock, INVLOADER, flat((first, "17", "12.50", "a"), ("SBX-NOPE-999", "3", "", "a"),
                                                     (second, "x7", "", "a")))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert lines[:5] == ["Feed Processing Summary:", "\tNumber of records processed\t\t3",
                         "\tNumber of records successful\t\t1", "",
                         "original-record-number\tsku\terror-code\terror-type\terror-message"]
    rows = [line.split("\t") for line in lines[5:]]
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [("2", "SBX-NOPE-999", "13013", "Error"),
                                                         ("3", second, "99006", "Error")]
    assert "Content-MD5" in response.headers


async def test_given_a_flat_file_feed_when_done_then_the_good_records_change_the_catalog(mws, clock, sandbox):
    first, second, third = skus(sandbox)[:3]
    quantity = sandbox.book.catalog[second].quantity
    await run(mws, clock, PRICE_AND_QUANTITY, flat((first, "42", "19.99"), (second, "", "7.00"), (third, "", "", "d"),
                                                   header=("sku", "quantity", "price", "add-delete")))
    catalog = sandbox.book.catalog
    assert (catalog[first].quantity, catalog[first].price_cents) == (42, 1999)
    assert (catalog[second].quantity, catalog[second].price_cents) == (quantity, 700)
    assert third not in catalog


async def test_given_a_flat_file_without_a_sku_header_then_the_whole_file_is_reported(mws, clock):
    response = await run(mws, clock, INVLOADER, b"just some text\n")
    assert response.text.splitlines()[1:3] == ["\tNumber of records processed\t\t0",
                                               "\tNumber of records successful\t\t0"]
    assert response.text.splitlines()[5].split("\t")[:4] == ["0", "", "99001", "Error"]


async def test_given_a_flat_file_report_when_the_client_fetches_it_then_its_parser_reads_amazons_tsv(
        sandbox, clock, mws):
    first = skus(sandbox)[0]
    feed_id = await submit_id(mws, INVLOADER, flat((first, "5", "", "a"), ("SBX-NOPE-999", "1", "", "a")))
    clock.advance(DONE_AFTER)
    async with httpx.AsyncClient(transport=sandbox.transport()) as http:
        client = MWSClient(Credentials.from_cfg(DEMO), http=http, clock=clock, settings=Settings(),
                           pacer=Pacer(clock, Settings()), mode="run", default_endpoint="http://sandbox.test")
        report = await MWSFeeds(client).report(feed_id)
    assert report["messagesProcessed"] == 2 and report["messagesSuccessful"] == 1
    assert report["messagesWithError"] == 1
    assert [(r["messageId"], r["resultCode"], r["resultMessageCode"], r["sku"]) for r in report["results"]] == [
        (2, "Error", 13013, "SBX-NOPE-999")]


async def test_given_an_xml_feed_type_then_its_report_stays_xml(mws, clock):
    response = await run(mws, clock, INVENTORY, b"not xml at all")
    assert response.headers["content-type"].startswith("text/xml") and response.content.startswith(b"<?xml")


async def test_given_an_unknown_flat_file_type_then_invalid_feed_type(mws):
    response = await mws.submit(flat(("A", "1", "", "a")), {"FeedType": "_POST_FLAT_FILE_NO_SUCH_DATA_", **US})
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")
