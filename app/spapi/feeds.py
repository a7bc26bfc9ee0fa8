"""Feeds on SP-API (Feeds API 2021-06-30): the documents (`SpapiFeedFormat`: a JSON listings feed for
the listing actions, the XML envelope under SP-API's feed type name for the others — order
acknowledgements: `POST_ORDER_ACKNOWLEDGEMENT_DATA`, the MWS name without its underscores) and the
submission (`SpapiFeeds`), the two ports of app.backends.ports."""
from __future__ import annotations

import dataclasses
import zlib
from pathlib import Path
from typing import Any

import httpx

from app.backends.ports import SubmissionUnknown
from app.feeds import Feed, build_feed, is_single, kind_of, normalize
from app.feeds.listings import listings_feed
from app.feeds.listings_report import parse_listings_report
from app.feeds.report import parse_processing_report
from app.mws.body import Spool, fetch
from app.mws.endpoints import endpoint_allowed
from app.mws.errors import NotReady
from app.runtime.errors import FeedFatal
from app.spapi.client import SpapiClient
from app.spapi.errors import (
    DocumentNotAllowed,
    MalformedResponse,
    MWSError,
    ServerError,
    Throttled,
    Timeout,
    TransportError,
    UnexpectedResponse,
)


class SpapiFeedFormat:
    def document(self, builders: Any, body: dict[str, Any], cfg: dict[str, Any], *,
                 validate_with: Path | None = None) -> Feed:
        if builders.listings is not None:
            return listings_feed(builders.listings, normalize(body), cfg, single=is_single(body))
        feed = build_feed(kind_of(builders.xml).message_type, normalize(body), cfg["sellerId"],
                          xsd_dir=validate_with, single=is_single(body))
        return dataclasses.replace(feed, feed_type=feed.feed_type.strip("_"))


FINISHED = ("DONE", "CANCELLED", "FATAL")
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024


class SpapiFeeds:
    """The feed steps on SP-API (the `FeedsBackend` of app.backends.ports): createFeedDocument, the
    upload of the exact bytes with the same Content-Type, createFeed; getFeed for the status;
    getFeedDocument and the download (gunzipped) for the processing report."""

    def __init__(self, client: SpapiClient, cfg: dict[str, Any]) -> None:
        self.client, self.cfg = client, cfg
        self.account = f"spapi {client.endpoint} {client.credentials.seller_id}"
        self._finished: dict[str, dict[str, Any]] = {}  # feedId -> the getFeed answer that said it ended

    async def submit(self, document: Feed, cfg: dict[str, Any], *, marketplace_ids: list[str] | None = None) -> str:
        # Before createFeed nothing is submitted: a failure here is an ordinary (retriable) one.
        created = await self.client.call("createFeedDocument", body={"contentType": document.content_type})
        document_id, url = created.data.get("feedDocumentId"), created.data.get("url")
        if not isinstance(document_id, str) or not isinstance(url, str):
            raise MalformedResponse("createFeedDocument answered without a feedDocumentId and an upload url")
        await transfer(self.client, "PUT", url, body=document.body, content_type=document.content_type)
        try:
            feed = await self.client.call("createFeed", body={
                "feedType": document.feed_type, "marketplaceIds": [str(cfg["marketplaceId"])],
                "inputFeedDocumentId": document_id})
        except MWSError as exc:
            if _may_have_acted(exc):
                raise SubmissionUnknown(
                    f"createFeed's answer was lost ({exc.code}): Amazon may have accepted the feed. Check the "
                    "seller's recent feeds (getFeeds, or Seller Central) before sending it again; it was not resent",
                    code=exc.code, request_id=exc.request_id) from None
            raise
        feed_id = feed.data.get("feedId")
        if not isinstance(feed_id, str) or not feed_id:
            raise SubmissionUnknown("createFeed answered without a feedId: the feed may have been accepted; check "
                                    "the seller's recent feeds before sending it again", code="MalformedResponse")
        return feed_id

    async def _feed(self, submission_id: str) -> dict[str, Any]:
        return (await self.client.call("getFeed", path={"feedId": submission_id})).data

    async def status(self, submission_id: str) -> dict[str, Any]:
        feed = await self._feed(submission_id)
        if feed.get("processingStatus") in ("DONE", "FATAL"):
            self._finished[submission_id] = feed  # report() needs no second getFeed for its document id
        info = {"feedSubmissionId": str(feed.get("feedId") or submission_id), "feedType": feed.get("feedType"),
                "feedProcessingStatus": feed.get("processingStatus"), "submittedDate": feed.get("createdTime"),
                "startedProcessingDate": feed.get("processingStartTime"),
                "completedProcessingDate": feed.get("processingEndTime")}
        return {k: v for k, v in info.items() if v is not None}

    def finished(self, status: str | None) -> bool:
        return status in FINISHED

    def cancelled(self, status: str | None) -> bool:
        return status == "CANCELLED"

    def fatal(self, status: str | None) -> bool:
        return status == "FATAL"

    async def report(self, submission_id: str) -> dict[str, Any]:
        feed = self._finished.pop(submission_id, None) or await self._feed(submission_id)
        status = feed.get("processingStatus")
        result_id = feed.get("resultFeedDocumentId")
        if status not in ("DONE", "FATAL") or not isinstance(result_id, str):
            if status == "FATAL":
                raise FeedFatal(f"feed {submission_id} ended FATAL without a processing report")
            raise NotReady(f"feed {submission_id} is {status}; its processing report is not ready yet",
                           code="FeedNotDone")
        document = (await self.client.call("getFeedDocument", path={"feedDocumentId": result_id})).data
        url = document.get("url")
        if not isinstance(url, str):
            raise MalformedResponse("getFeedDocument answered without a download url")
        raw, _ = await transfer(self.client, "GET", url)
        if document.get("compressionAlgorithm") == "GZIP":
            raw = gunzip_capped(raw, MAX_DOCUMENT_BYTES)
        if raw.lstrip()[:1] in (b"{", b"["):
            return parse_listings_report(raw)
        return parse_processing_report(raw, None)


def _may_have_acted(exc: MWSError) -> bool:
    if not exc.retriable or isinstance(exc, Throttled):
        return False
    return not (isinstance(exc, TransportError) and not exc.request_sent)


def gunzip_capped(raw: bytes, limit: int) -> bytes:
    """A gzip body inflated to at most `limit` bytes (a small hostile file can inflate a lot)."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error:
        raise MalformedResponse("the feed document is not valid gzip", retriable=False) from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise MalformedResponse(f"the feed document inflates past {limit} bytes", retriable=False)
    return out


async def transfer(client: SpapiClient, method: str, url: str, *, body: bytes | None = None,
                   content_type: str | None = None, sink: Spool | None = None, limit: int = MAX_DOCUMENT_BYTES,
                   ) -> tuple[bytes, httpx.Headers]:
    """Upload to or download from a feed or report document URL (pre-signed: no token is sent), within
    the step's deadline. Only https URLs, the mounted sandbox's or ENDPOINT_ALLOWLIST origins. With
    `sink` a downloaded body goes there (a report of any size) and the bytes returned are empty."""
    parsed = httpx.URL(url)
    admitted = parsed.scheme == "https" or endpoint_allowed(
        url, client.settings, sandbox_mounted=client.sandbox_mounted, amazon_hosts=frozenset())
    if not admitted:
        raise DocumentNotAllowed("the feed document URL Amazon gave is not https; nothing was sent or fetched")
    headers = {"Content-Type": content_type} if content_type else {}
    request = client.http.build_request(method, url, content=body, headers=headers)
    budget, _ = client._budget("feed document " + method)
    try:
        response, raw = await fetch(client.http, request, auth=None, limit=limit, budget=budget, sink=sink)
    except TimeoutError:
        raise Timeout(f"the feed document {method} did not finish in time") from None
    except httpx.TransportError as exc:
        err = TransportError(f"the feed document {method} failed ({type(exc).__name__})")
        err.request_sent = not isinstance(exc, httpx.ConnectError)
        raise err from None
    if not 200 <= response.status_code < 300:
        if response.status_code >= 500:
            raise ServerError(f"the feed document {method} answered HTTP {response.status_code}",
                              status=response.status_code)
        raise UnexpectedResponse(f"the feed document {method} answered HTTP {response.status_code}",
                                 status=response.status_code)
    return raw, response.headers
