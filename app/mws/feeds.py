"""The feed steps on MWS: an AmazonEnvelope sent with SubmitFeed, GetFeedSubmissionList for its
status, GetFeedSubmissionResult for its processing report (the `FeedsBackend` of app.backends.ports)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from app.backends.ports import SubmissionUnknown
from app.feeds import Feed, build_feed, is_single, kind_of, normalize
from app.feeds.report import parse_processing_report
from app.mws.client import MWSClient
from app.mws.errors import MWSError, RequestError, Throttled, TransportError

FINISHED = ("_DONE_", "_CANCELLED_")


class MWSFeedFormat:
    """Feed documents on MWS: the AmazonEnvelope of the action's XML builder."""

    def document(self, builders: Any, body: dict[str, Any], cfg: dict[str, Any], *,
                 validate_with: Path | None = None) -> Feed:
        return build_feed(kind_of(builders.xml).message_type, normalize(body), cfg["sellerId"],
                          xsd_dir=validate_with, single=is_single(body))


class MWSFeeds:
    def __init__(self, client: MWSClient) -> None:
        self.client = client
        self.account = f"mws {client.endpoint} {client.credentials.seller_id}"

    async def submit(self, document: Feed, cfg: dict[str, Any], *, marketplace_ids: list[str] | None = None) -> str:
        params: dict[str, str] = {"FeedType": document.feed_type, "ContentMD5Value": document.content_md5}
        for n, marketplace in enumerate(marketplace_ids or [], start=1):
            params[f"MarketplaceIdList.Id.{n}"] = marketplace
        try:
            result = await self.client.call("SubmitFeed", params, body=document.body,
                                            content_type="text/xml; charset=UTF-8")
        except MWSError as exc:
            if _may_have_acted(exc):
                raise SubmissionUnknown(
                    f"SubmitFeed's answer was lost ({exc.code}): Amazon may have accepted the feed. "
                    "Check the seller's recent feed submissions (GetFeedSubmissionList, or Seller Central) "
                    "before sending it again; it was not resent", code=exc.code, request_id=exc.request_id,
                ) from None
            raise
        info = result.data["feedSubmissionInfo"]
        info = info[0] if isinstance(info, list) else info
        return str(info["feedSubmissionId"])

    async def status(self, submission_id: str) -> dict[str, Any]:
        result = await self.client.call("GetFeedSubmissionList", {"FeedSubmissionIdList.Id.1": submission_id})
        for info in result.data.get("feedSubmissionInfo") or []:
            if str(info.get("feedSubmissionId")) == submission_id:
                return info
        raise RequestError(f"Failed to find feed with Feed Submission ID: {submission_id}",
                           code="InvalidFeedSubmissionId", request_id=result.request_id)

    def finished(self, status: str | None) -> bool:
        return status in FINISHED

    def cancelled(self, status: str | None) -> bool:
        return status == "_CANCELLED_"

    def fatal(self, status: str | None) -> bool:
        return False  # MWS has no such status

    async def report(self, submission_id: str) -> dict[str, Any]:
        result = await self.client.call("GetFeedSubmissionResult", {"FeedSubmissionId": submission_id})
        return parse_processing_report(result.body, result.headers.get("Content-Type"))


def _may_have_acted(exc: MWSError) -> bool:
    """A retriable failure after which Amazon may hold the feed: not a 503, not a connection that
    failed before the request left (the client's decision table retried those already)."""
    if not exc.retriable or isinstance(exc, Throttled):
        return False
    return not (isinstance(exc, TransportError) and not exc.request_sent)
