"""One feed's life: SubmitFeed, wait for `_DONE_`, fetch and parse the processing report.

Every feed action runs through `run_feed`: it submits once, keeps `{feedSubmissionId, contentMd5}`
in the snapshot while it waits, and when STEP_TIMEOUT would pass it returns a `rebound`. Called
again with that snapshot and the same message (same MD5) it resumes waiting and never submits a
second time; a different message is a new submission. Finished (done or cancelled) or failed, the
snapshot is `{}` (contract §5). A SubmitFeed that fails is an error, never retried by a rebound
(Amazon may have taken the feed); a transient fault while waiting rebounds with the id kept.
"""
from __future__ import annotations

from typing import Any

from app import metrics
from app.feeds.feed import Feed
from app.feeds.report import parse_processing_report
from app.mws.client import MWSClient, client_for
from app.mws.errors import ContentMD5Mismatch, NotReady, RequestError
from app.runtime.context import StepContext
from app.runtime.errors import DeadlineExceeded, FeedCancelled, InputInvalid, StepError
from app.settings import Settings

FINISHED = ("_DONE_", "_CANCELLED_")


async def run_feed(ctx: StepContext, feed: Feed, *, marketplace_ids: list[str] | None = None) -> None:
    client = client_for(ctx)
    state = ctx.received_snapshot
    submission_id: str | None = None
    seen: dict[str, Any] = {}  # the last status the wait saw, for the rebound reason
    try:
        if state.get("feedSubmissionId") and state.get("contentMd5") == feed.content_md5:
            submission_id = str(state["feedSubmissionId"])
            ctx.log.info("feed %s: resuming the wait, not submitting again", submission_id)
        else:
            submission_id = await _submit(ctx, client, feed, marketplace_ids)
        info = await _wait_until_finished(ctx, client, submission_id, seen)
        if info["feedProcessingStatus"] == "_CANCELLED_":
            await ctx.snapshot({})
            raise FeedCancelled(f"feed {submission_id} was cancelled by Amazon (_CANCELLED_)")
        report = await fetch_report(client, submission_id)
    except FeedCancelled:
        raise
    except StepError as exc:
        if _resumable(ctx, exc, submitted=submission_id is not None):
            if submission_id is None:
                await ctx.snapshot({})  # nothing was submitted: a stale snapshot must not be resumed
            reason = _rebound_reason(exc, submission_id, seen.get("status"))
            flagged = seen.get("status") in STATUS_MEANING  # held at Amazon: worth a warning
            (ctx.log.warning if flagged else ctx.log.info)("rebound: %s", reason)
            await ctx.rebound(reason, ctx.settings.response_check_delay_ms)
            return
        await ctx.snapshot({})  # failed: the action is over (contract §5)
        raise
    await ctx.data({
        "feedSubmissionId": submission_id,
        "feedType": info.get("feedType", feed.feed_type),
        "feedProcessingStatus": info["feedProcessingStatus"],
        "processingReport": report,
    })
    await ctx.snapshot({})


# What the statuses Amazon may hold a feed in for long mean (mws-api.md §4.3): said in the rebound.
STATUS_MEANING = {
    "_IN_SAFETY_NET_": "Amazon flagged it for review; Seller Support contacts the seller",
    "_AWAITING_ASYNCHRONOUS_REPLY_": "Amazon is waiting for external information",
    "_UNCONFIRMED_": "pending at Amazon",
}


def _rebound_reason(exc: StepError, submission_id: str | None, status: str | None) -> str:
    """`feed 5000 is _IN_SAFETY_NET_ (...); call again ...`: the last status seen, when one was."""
    resume = "call again with the snapshot to resume"
    if submission_id is None or status is None:
        return f"{exc.code}: feed not finished; {resume}"
    meaning = STATUS_MEANING.get(status)
    said = f"{status} ({meaning})" if meaning else status
    return f"{exc.code}: feed {submission_id} is {said}; {resume}"


def _resumable(ctx: StepContext, exc: StepError, *, submitted: bool) -> bool:
    """Whether a failure ends in `rebound` (call again with the snapshot) rather than `error`.

    STEP_TIMEOUT passing, or a report not ready yet, always rebounds. A SubmitFeed that failed
    otherwise is an error: after a 500 or a cut answer Amazon may have taken the feed, and a
    rebound would have the platform submit it again. Once submitted, a transient fault of the
    status checks (run mode; the client has retried already) rebounds, since the feed itself is
    fine at Amazon; a report whose Content-MD5 still does not match after the client's 3 retries
    is an error, and so is one that cannot be parsed (report.py raises it with retriable=False:
    the same bytes would fail the same way on every resume).
    """
    if isinstance(exc, (DeadlineExceeded, NotReady)):
        return True
    if not submitted or ctx.sample or isinstance(exc, ContentMD5Mismatch):
        return False
    return exc.retriable


async def _submit(ctx: StepContext, client: MWSClient, feed: Feed, marketplace_ids: list[str] | None) -> str:
    params: dict[str, str] = {"FeedType": feed.feed_type, "ContentMD5Value": feed.content_md5}
    for n, marketplace in enumerate(marketplace_ids or [], start=1):
        params[f"MarketplaceIdList.Id.{n}"] = marketplace
    result = await client.call("SubmitFeed", params, body=feed.body, content_type="text/xml; charset=UTF-8")
    info = result.data["feedSubmissionInfo"]
    info = info[0] if isinstance(info, list) else info
    submission_id = str(info["feedSubmissionId"])
    ctx.log.info("feed %s submitted: %s, %d messages, %d bytes", submission_id, feed.feed_type,
                 feed.count, len(feed.body))
    await ctx.snapshot({"feedSubmissionId": submission_id, "contentMd5": feed.content_md5})
    return submission_id


async def submission_info(client: MWSClient, submission_id: str) -> dict[str, Any]:
    result = await client.call("GetFeedSubmissionList", {"FeedSubmissionIdList.Id.1": submission_id})
    for info in result.data.get("feedSubmissionInfo") or []:
        if str(info.get("feedSubmissionId")) == submission_id:
            return info
    raise RequestError(f"Failed to find feed with Feed Submission ID: {submission_id}",
                       code="InvalidFeedSubmissionId", request_id=result.request_id)


async def _wait_until_finished(ctx: StepContext, client: MWSClient, submission_id: str,
                               seen: dict[str, Any]) -> dict[str, Any]:
    delay = ctx.settings.response_check_delay_ms / 1000.0
    checks = 0
    while True:
        info = await submission_info(client, submission_id)
        checks += 1
        status = info.get("feedProcessingStatus")
        seen["status"] = status
        metrics.FEED_STATUS_CHECKS.labels(status or "unknown").inc()
        ctx.log.info("feed %s: %s (check %d)", submission_id, status, checks)
        if status in FINISHED:
            return info
        if ctx.clock.time() + delay > ctx.deadline:
            raise DeadlineExceeded(f"feed {submission_id} is {status}; STEP_TIMEOUT would pass before the next check")
        await ctx.clock.sleep(delay)


async def fetch_report(client: MWSClient, submission_id: str) -> dict[str, Any]:
    """The processing report; NotReady when Amazon has not finished it (the caller rebounds)."""
    result = await client.call("GetFeedSubmissionResult", {"FeedSubmissionId": submission_id})
    return parse_processing_report(result.body, result.headers.get("Content-Type"))


def feed_action(action_key: str, *, send_marketplace: bool = False):
    """The `check` and `process` of a feed action: build the envelope of the action's message type
    from msg.body (one item or {"messages": [...]}) and run it through `run_feed`.

    `send_marketplace`: send MarketplaceIdList = the credential's marketplace (required by
    _POST_PRODUCT_IMAGE_DATA_).
    """
    from app.feeds import ACTION_KINDS, build_feed, is_single, normalize
    from app.feeds.checks import check_feed_input

    kind = ACTION_KINDS[action_key]

    def check(msg: dict[str, Any], cfg: dict[str, Any], settings: Settings) -> list:
        body = msg["body"]
        problems = check_feed_input(kind, body)
        if not problems and settings.mws_xsd_dir is not None:
            try:
                build_feed(kind, normalize(body), cfg["sellerId"], xsd_dir=settings.mws_xsd_dir,
                           single=is_single(body))
            except InputInvalid as invalid:
                problems = invalid.problems
        return problems

    async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
        body = msg["body"]
        # check() has validated this envelope against the XSDs already (when MWS_XSD_DIR is set).
        feed = build_feed(kind, normalize(body), ctx.cfg["sellerId"])
        marketplaces = [ctx.cfg["marketplaceId"]] if send_marketplace else None
        await run_feed(ctx, feed, marketplace_ids=marketplaces)

    return check, process
