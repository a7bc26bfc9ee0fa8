"""Feeds 2009-01-01: SubmitFeed, GetFeedSubmissionList (+ByNextToken), GetFeedSubmissionCount,
CancelFeedSubmissions, GetFeedSubmissionResult. Served at /Feeds/2009-01-01 and at /.

SubmitFeed is a POST whose signed parameters travel in the query and whose body is the feed; its
Content-MD5 (the `ContentMD5Value` parameter, or the `Content-MD5` header) must match the body.
Lists show the newest submissions first; a NextToken keeps the query and the last row's key, so
feeds submitted between pages neither repeat nor shift rows. Feed state moves lazily (feeds_models).
"""
from __future__ import annotations

from typing import Any

from lxml import etree

from . import xmlgen
from .exceptions import MWSError, invalid, missing
from .feeds_models import CANCELLED, DONE, FEED_TYPES, STATUSES, Feed
from .feeds_report import content_md5
from .responses_orders import list_param
from .sections import Call, Reply, Section

NAMESPACE = "http://mws.amazonaws.com/doc/2009-01-01/"
DAY_MS = 86_400_000
MAX_IDS = 100
NULL_TOKEN = ("1 validation error detected: Value null at 'nextToken' failed to satisfy constraint: "
              "Member must not be null")


def _info(parent: etree._Element, feed: Feed) -> None:
    el = xmlgen.sub(parent, "FeedSubmissionInfo")
    xmlgen.subs(el, feed.info())


def submit_feed(call: Call) -> etree._Element:
    p = call.params
    if call.method != "POST":
        raise invalid("SubmitFeed must be a POST with the feed as the request body")
    feed_type = p.get("FeedType")
    if not feed_type:
        raise invalid("The parameter FeedType is required but was not present.")
    if feed_type not in FEED_TYPES:
        raise invalid(f"Invalid FeedType: {feed_type}")
    marketplaces = list_param(p, "MarketplaceIdList.Id")
    for mid in marketplaces:
        if mid not in call.seller.marketplaces:
            raise invalid(f"Invalid MarketplaceId: {mid} is not a marketplace this seller participates in")
    if feed_type == "_POST_PRODUCT_IMAGE_DATA_" and not marketplaces:
        raise invalid(f"MarketplaceIdList.Id.1 is required for FeedType {feed_type}")
    param, header = p.get("ContentMD5Value"), call.headers.get("content-md5")
    if param is not None and header is not None and param.strip() != header.strip():
        raise invalid("The Content-MD5 HTTP header and the ContentMD5Value parameter do not match")
    sent = (param if param is not None else header or "").strip()
    if not sent:
        raise MWSError(400, "ContentMD5Missing",
                       "The Content-MD5 HTTP header or the ContentMD5Value parameter was not passed for your feed")
    actual = content_md5(call.body)
    if sent != actual:
        raise MWSError(400, "ContentMD5DoesNotMatch",
                       f"the Content-MD5 HTTP header you passed for your feed ({sent}) did not match the "
                       f"Content-MD5 we calculated for your feed ({actual})")
    feed = call.sandbox.feeds.submit(
        feed_type=feed_type, seller_id=call.seller.seller_id, merchant_id=call.seller.seller_id,
        marketplaces=tuple(marketplaces) or call.seller.marketplaces, now_ms=call.now_ms, body=call.body,
        content_type=call.headers.get("content-type", "text/xml"))
    result = call.result()
    _info(result, feed)
    return result


def _date(p: dict[str, str], name: str, default: int) -> int:
    raw = p.get(name)
    if raw is None:
        return default
    try:
        return xmlgen.parse_iso_ms(raw)
    except ValueError:
        raise invalid(f"Invalid {name}: it must be an ISO-8601 date such as 2020-05-28T11:22:24Z") from None


def _query(call: Call, *, with_ids: bool, days: int) -> dict[str, Any]:
    p = call.params
    ids = list_param(p, "FeedSubmissionIdList.Id") if with_ids else []
    if len(ids) > MAX_IDS:
        raise invalid(f"At most {MAX_IDS} FeedSubmissionId values are allowed")
    statuses = list_param(p, "FeedProcessingStatusList.Status")
    for status in statuses:
        if status not in STATUSES:
            raise invalid(f"Invalid FeedProcessingStatus: {status}")
    return {"ids": ids, "types": list_param(p, "FeedTypeList.Type"), "st": statuses,
            "from": _date(p, "SubmittedFromDate", call.now_ms - days * DAY_MS),
            "to": _date(p, "SubmittedToDate", call.now_ms)}


def _select(call: Call, q: dict[str, Any]) -> list[Feed]:
    feeds = call.sandbox.feeds.of_seller(call.seller.seller_id)
    if q["ids"]:                       # with ids, the other filters are ignored
        wanted = set(q["ids"])
        found = [f for f in feeds if f.feed_id in wanted]
    else:
        found = [f for f in feeds if q["from"] <= f.submitted_ms <= q["to"]
                 and (not q["types"] or f.feed_type in q["types"]) and (not q["st"] or f.status in q["st"])]
    return sorted(found, key=_key, reverse=True)


def _key(feed: Feed) -> list[int]:
    return [feed.submitted_ms, int(feed.feed_id)]


def _list_page(call: Call, q: dict[str, Any], last: list[int] | None) -> etree._Element:
    rows = _select(call, q)
    if last is not None:
        rows = [f for f in rows if _key(f) < last]
    size = len(rows) if q["ids"] else q["max"]
    page, more = rows[:size], len(rows) > size
    result = call.result()
    if more:
        token = call.sandbox.tokens.encode("feeds", call.seller.seller_id, {"q": q, "last": _key(page[-1])})
        xmlgen.sub(result, "NextToken", token)
    xmlgen.sub(result, "HasNext", more)
    for feed in page:
        _info(result, feed)
    return result


def get_feed_submission_list(call: Call) -> etree._Element:
    q = _query(call, with_ids=True, days=90)
    raw = call.params.get("MaxCount", "10")
    if not q["ids"] and (not raw.isdigit() or not 1 <= int(raw) <= 100):
        raise invalid(f"Invalid MaxCount: {raw}; it must be a whole number from 1 to 100")
    q["max"] = int(raw) if raw.isdigit() else 10
    return _list_page(call, q, None)


def get_feed_submission_list_by_next_token(call: Call) -> etree._Element:
    token = call.params.get("NextToken")
    if not token:
        raise MWSError(400, "ValidationError", NULL_TOKEN)
    state = call.sandbox.tokens.decode("feeds", call.seller.seller_id, token)
    return _list_page(call, state["q"], state["last"])


def get_feed_submission_count(call: Call) -> etree._Element:
    rows = _select(call, _query(call, with_ids=False, days=90))
    result = call.result()
    xmlgen.sub(result, "Count", len(rows))
    return result


def cancel_feed_submissions(call: Call) -> etree._Element:
    q = _query(call, with_ids=True, days=180)
    q["st"] = []                       # the status list is not a Cancel parameter
    cancelled = [f for f in _select(call, q) if call.sandbox.feeds.cancel(f)]
    result = call.result()
    xmlgen.sub(result, "Count", len(cancelled))
    for feed in cancelled[:MAX_IDS]:
        _info(result, feed)
    return result


def get_feed_submission_result(call: Call) -> Reply:
    feed_id = call.params.get("FeedSubmissionId")
    if not feed_id:
        raise missing("FeedSubmissionId")
    if not feed_id.isdigit():
        raise MWSError(400, "InvalidRequest", f"Invalid FeedSubmissionId: {feed_id}")
    feed = call.sandbox.feeds.get(feed_id)
    if feed is None or feed.seller_id != call.seller.seller_id:
        raise MWSError(400, "InvalidFeedSubmissionId", f"Failed to find feed with Feed Submission ID: {feed_id}")
    if feed.status == CANCELLED:
        raise MWSError(400, "FeedCanceled", f"Feed Submission Id: {feed_id} was cancelled; it has no result")
    if feed.status != DONE or feed.report is None:
        raise MWSError(400, "FeedProcessingResultNotReady",
                       f"Feed Submission Result is not ready for Feed Submission Id: {feed_id}")
    return Reply(feed.report, content_type="text/xml;charset=UTF-8",
                 headers={"Content-MD5": content_md5(feed.report)})


def section() -> Section:
    return Section("Feeds", "/Feeds/2009-01-01", "2009-01-01", NAMESPACE, {
        "SubmitFeed": submit_feed,
        "GetFeedSubmissionList": get_feed_submission_list,
        "GetFeedSubmissionListByNextToken": get_feed_submission_list_by_next_token,
        "GetFeedSubmissionCount": get_feed_submission_count,
        "CancelFeedSubmissions": cancel_feed_submissions,
        "GetFeedSubmissionResult": get_feed_submission_result,
    }, root_alias=True)

