"""Feeds 2009-01-01 handlers: SubmitFeed, GetFeedSubmissionList (+ByNextToken), GetFeedSubmissionCount,
CancelFeedSubmissions, GetFeedSubmissionResult. Served at /Feeds/2009-01-01 and at /.

Each handler receives the `FeedsBackend` (models.py) and the `Call`. SubmitFeed is a POST whose
signed parameters travel in the query and whose body is the feed. Lists show the newest submissions
first; a NextToken keeps the query and the last row's key, so feeds submitted between pages neither
repeat nor shift rows. GetFeedSubmissionResult returns the raw report, XML or (for flat-file feeds)
tab-separated text, with its Content-MD5.
"""
from __future__ import annotations

from lxml import etree

from .. import wire, xmlgen
from ..errors import invalid, missing
from ..sections import Call, Reply
from .models import MAX_IDS, Feed, FeedsBackend
from .report import content_md5

XML_REPORT = "text/xml;charset=UTF-8"
FLAT_REPORT = "text/plain;charset=UTF-8"


def _info(parent: etree._Element, feed: Feed) -> None:
    el = xmlgen.sub(parent, "FeedSubmissionInfo")
    xmlgen.subs(el, feed.info())


def submit_feed(backend: FeedsBackend, call: Call) -> etree._Element:
    if call.method != "POST":
        raise invalid("SubmitFeed must be a POST with the feed as the request body")
    feed = backend.submit(call.seller, call.params, call.headers, call.body, call.now_ms)
    result = call.result()
    _info(result, feed)
    return result


def _list_result(call: Call, page: list[Feed], token: str | None) -> etree._Element:
    result = call.result()
    if token:
        xmlgen.sub(result, "NextToken", token)
    xmlgen.sub(result, "HasNext", token is not None)
    for feed in page:
        _info(result, feed)
    return result


def get_feed_submission_list(backend: FeedsBackend, call: Call) -> etree._Element:
    q = backend.query(call.params, call.now_ms, with_ids=True, days=90)
    raw = call.params.get("MaxCount", "10")
    if not q["ids"] and (not raw.isdigit() or not 1 <= int(raw) <= 100):
        raise invalid(f"Invalid MaxCount: {raw}; it must be a whole number from 1 to 100")
    q["max"] = int(raw) if raw.isdigit() else 10
    return _list_result(call, *backend.list_page(call.seller, q, None))


def get_feed_submission_list_by_next_token(backend: FeedsBackend, call: Call) -> etree._Element:
    return _list_result(call, *backend.list_page_by_token(call.seller, call.params.get("NextToken")))


def get_feed_submission_count(backend: FeedsBackend, call: Call) -> etree._Element:
    rows = backend.select(call.seller, backend.query(call.params, call.now_ms, with_ids=False, days=90))
    result = call.result()
    xmlgen.sub(result, "Count", len(rows))
    return result


def cancel_feed_submissions(backend: FeedsBackend, call: Call) -> etree._Element:
    cancelled = backend.cancel(call.seller, backend.query(call.params, call.now_ms, with_ids=True, days=180))
    result = call.result()
    xmlgen.sub(result, "Count", len(cancelled))
    for feed in cancelled[:MAX_IDS]:
        _info(result, feed)
    return result


def get_feed_submission_result(backend: FeedsBackend, call: Call) -> Reply:
    feed_id = call.params.get("FeedSubmissionId")
    if not feed_id:
        raise missing("FeedSubmissionId")
    feed = backend.result(call.seller, feed_id)
    assert feed.report is not None, "result() answers only a feed whose report is written"
    flat = wire.feed_types()[feed.feed_type]["format"] == "flat"
    return Reply(feed.report, content_type=FLAT_REPORT if flat else XML_REPORT,
                 headers={"Content-MD5": content_md5(feed.report)})
