"""One feed's life, for every feed action on either backend: submit once, wait, report.

    check, process, check_snapshot = feed_action(FeedBuilders(xml=inventory))

`run_feed` submits the document once (the backend's FeedsBackend), keeps
`{feedSubmissionId, contentMd5}` in the snapshot while it waits, checks the status every
RESPONSE_CHECK_DELAY, then emits the parsed processing report. Called again with that snapshot and
the same message (same MD5) it resumes waiting and never submits a second time; a different message
is a new submission (contract §5). Finished (done or cancelled) or failed for good, the snapshot
is `{}`; a retriable failure met after Amazon accepted the feed keeps the id, so a retry resumes.
Whether a failure ends in `rebound` or `error` is app.runtime.outcome's call, not this module's.
A submission whose answer was lost (SubmissionUnknown) is an error that says what to check.

A platform retries a message it thinks failed, and a caller may send the same message twice at once.
Within FEED_DEDUP_WINDOW, a message with the same `msg.id` and the same document (MD5), for the same
endpoint and seller, resumes the submission the first one made instead of submitting again; a
second call arriving while the first submits waits for it. A lost SubmitFeed answer is remembered
too: its repeats answer the same "may have been accepted" error, never a silent resend.
"""
from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from app import metrics
from app.backends import feed_format, feeds_for
from app.backends.ports import FeedsBackend, SubmissionUnknown
from app.feeds import Feed, kind_of
from app.feeds.checks import check_feed_input
from app.feeds.listings import Builder
from app.runtime.context import StepContext
from app.runtime.errors import DeadlineExceeded, FeedCancelled, FeedFatal, InputInvalid, InputProblem, StepError
from app.settings import Settings
from app.store import Store, store_for

PENDING, UNKNOWN = "pending", "unknown"  # dedup records besides a submission id
PENDING_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class FeedBuilders:
    """What a feed action sends, per backend: the XML message-type module (app.feeds.*), and on
    SP-API the JSON listings builder (app.feeds.listings) when the action changes listings (without
    one, SP-API sends the XML envelope too). `to_marketplace`: the feed goes to the credential's
    marketplace (MWS image feeds require it; SP-API always names it)."""

    xml: ModuleType
    listings: Builder | None = None
    to_marketplace: bool = False


# What the statuses Amazon may hold a feed in for long mean (mws-api.md §4.3): said in the rebound.
STATUS_MEANING = {
    "_IN_SAFETY_NET_": "Amazon flagged it for review; Seller Support contacts the seller",
    "_AWAITING_ASYNCHRONOUS_REPLY_": "Amazon is waiting for external information",
    "_UNCONFIRMED_": "pending at Amazon",
}


async def run_feed(ctx: StepContext, feeds: FeedsBackend, document: Feed, *,
                   marketplace_ids: list[str] | None = None, msg_id: str | None = None) -> None:
    state = ctx.received_snapshot
    submission_id: str | None = None
    seen: dict[str, Any] = {}  # the last status the wait saw, for the rebound reason
    try:
        if state.get("feedSubmissionId") and state.get("contentMd5") == document.content_md5:
            submission_id = str(state["feedSubmissionId"])
            ctx.log.info("feed %s: resuming the wait, not submitting again", submission_id)
        else:
            submission_id = await _submit_once(ctx, feeds, document, marketplace_ids, msg_id)
            await ctx.snapshot(_resume_point(submission_id, document))
        info = await _wait_until_finished(ctx, feeds, submission_id, seen)
        status = info.get("feedProcessingStatus")
        if feeds.cancelled(status):
            raise FeedCancelled(f"feed {submission_id} was cancelled by Amazon ({status})")
        report = await feeds.report(submission_id)
        if feeds.fatal(status):  # SP-API: the report first (what Amazon found), then the error
            await ctx.data(_result(submission_id, info, document, report))
            raise FeedFatal(f"feed {submission_id} ended {status}: Amazon could not process it (see the report)")
    except StepError as exc:
        accepted = submission_id is not None and not isinstance(exc, (FeedCancelled, FeedFatal))
        keep = _resume_point(submission_id, document) if accepted and (exc.retriable or exc.rebounds) else {}
        reason = _rebound_reason(submission_id, seen.get("status"))
        if seen.get("status") in STATUS_MEANING:  # held at Amazon: worth a warning
            ctx.log.warning("rebound or error: %s", reason)
        await ctx.settle(exc, keep, resumable=accepted, where=reason,
                         retry_after_ms=ctx.settings.response_check_delay_ms)
        return
    await ctx.data(_result(submission_id, info, document, report))
    await ctx.snapshot({})


def _result(submission_id: str, info: dict[str, Any], document: Feed, report: dict[str, Any]) -> dict[str, Any]:
    return {"feedSubmissionId": submission_id, "feedType": info.get("feedType", document.feed_type),
            "feedProcessingStatus": info["feedProcessingStatus"], "processingReport": report}


async def _submit_once(ctx: StepContext, feeds: FeedsBackend, document: Feed,
                       marketplace_ids: list[str] | None, msg_id: str | None) -> str:
    """Submit, unless the same platform message submitted the same document within the window."""
    window = ctx.settings.feed_dedup_window_s
    key = _dedup_key(feeds, msg_id, document) if window > 0 else None
    store = store_for(ctx.services) if key else None
    if key and store:
        held = await _claim(ctx, store, key, window)
        if held == UNKNOWN:
            raise SubmissionUnknown(
                f"an earlier call with this message id ({msg_id}) lost SubmitFeed's answer: Amazon may have "
                "accepted the feed; check the seller's recent feed submissions before sending it again",
                code="SubmissionUnknown")
        if held is not None:
            ctx.log.info("feed %s: this message (msg.id) submitted it already; resuming, not submitting again", held)
            return held
    # Shielded: a caller that goes away mid-submit (a closed stream) must not leave a submission
    # Amazon may have taken unrecorded; its retry then finds the id and resumes.
    return await asyncio.shield(_submit_and_record(ctx, feeds, document, marketplace_ids, key, store, window))


async def _submit_and_record(ctx: StepContext, feeds: FeedsBackend, document: Feed,
                             marketplace_ids: list[str] | None, key: str | None, store: Store | None,
                             window: int) -> str:
    try:
        submission_id = await feeds.submit(document, ctx.cfg, marketplace_ids=marketplace_ids)
    except SubmissionUnknown:
        if key and store:
            await store.put(key, UNKNOWN, window)
        raise
    except BaseException:
        if key and store:
            await store.delete(key)  # surely not submitted: the next call may submit
        raise
    ctx.log.info("feed %s submitted: %s, %d messages, %d bytes", submission_id, document.feed_type,
                 document.count, len(document.body))
    if key and store:
        await store.put(key, submission_id, window)
    return submission_id


async def _claim(ctx: StepContext, store: Store, key: str, window: int) -> str | None:
    """None: this call submits. Otherwise what an earlier call with the same message left: a
    submission id, or UNKNOWN. A call submitting right now is waited for, within the deadline."""
    pending_ttl = min(float(window), 2 * ctx.settings.mws_http_timeout + 60.0)
    while True:
        held = await store.claim(key, PENDING, pending_ttl)
        if held != PENDING:
            return held
        if ctx.clock.time() + PENDING_WAIT_SECONDS > ctx.deadline:
            raise DeadlineExceeded("the same message is being submitted by another call; call again to resume it")
        await ctx.clock.sleep(PENDING_WAIT_SECONDS)


def _dedup_key(feeds: FeedsBackend, msg_id: str | None, document: Feed) -> str | None:
    if not msg_id:
        return None  # a message without an id is never deduplicated (contract §1)
    raw = f"{feeds.account}\n{msg_id}\n{document.content_md5}".encode("utf-8", "surrogatepass")
    return "feed-dedup:" + hashlib.sha256(raw).hexdigest()


def _resume_point(submission_id: str | None, document: Feed) -> dict[str, Any]:
    return {"feedSubmissionId": submission_id, "contentMd5": document.content_md5}


def _rebound_reason(submission_id: str | None, status: str | None) -> str:
    """`feed 5000 is _IN_SAFETY_NET_ (...); call again ...`: the last status seen, when one was."""
    resume = "call again with the snapshot to resume"
    if submission_id is None or status is None:
        return f"feed not finished; {resume}"
    meaning = STATUS_MEANING.get(status)
    said = f"{status} ({meaning})" if meaning else status
    return f"feed {submission_id} is {said}; {resume}"


async def _wait_until_finished(ctx: StepContext, feeds: FeedsBackend, submission_id: str,
                               seen: dict[str, Any]) -> dict[str, Any]:
    delay = ctx.settings.response_check_delay_ms / 1000.0
    checks = 0
    while True:
        info = await feeds.status(submission_id)
        checks += 1
        status = info.get("feedProcessingStatus")
        seen["status"] = status
        metrics.FEED_STATUS_CHECKS.labels(status or "unknown").inc()
        ctx.log.info("feed %s: %s (check %d)", submission_id, status, checks)
        if feeds.finished(status):
            return info
        if ctx.clock.time() + delay > ctx.deadline:
            raise DeadlineExceeded(f"feed {submission_id} is {status}; STEP_TIMEOUT would pass before the next check")
        await ctx.clock.sleep(delay)


def check_feed_snapshot(snapshot: dict[str, Any]) -> list[InputProblem]:
    """A snapshot edited by hand must still name a submission Amazon could know."""
    problems = []
    for key in ("feedSubmissionId", "contentMd5"):
        value = snapshot.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            problems.append(InputProblem(f"snapshot.{key}", "must be a non-empty string"))
    return problems


def feed_action(builders: FeedBuilders):
    """The `check`, `process` and `check_snapshot` of a feed action: build the backend's document
    from msg.body (one item or {"messages": [...]}) and run it through `run_feed`."""
    message_type = kind_of(builders.xml).message_type

    def check(msg: dict[str, Any], cfg: dict[str, Any], settings: Settings) -> list[InputProblem]:
        body = msg["body"]
        problems = check_feed_input(message_type, body)
        if not problems:  # built once here, so whatever the backend cannot carry is a 422, nothing sent
            try:
                feed_format(cfg).document(builders, body, cfg, validate_with=settings.mws_xsd_dir)
            except InputInvalid as invalid:
                problems = invalid.problems
        return problems

    async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
        # check() has validated this document already (against the XSDs when MWS_XSD_DIR is set).
        document = feed_format(ctx.cfg).document(builders, msg["body"], ctx.cfg)
        marketplaces = [ctx.cfg["marketplaceId"]] if builders.to_marketplace else None
        await run_feed(ctx, feeds_for(ctx), document, marketplace_ids=marketplaces, msg_id=msg.get("id"))

    return check, process, check_feed_snapshot
