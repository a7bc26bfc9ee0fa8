"""Get Feed Submission Result: the parsed processing report of a finished feed; a feed still
processing answers `rebound` (Amazon's FeedProcessingResultNotReady), not an error."""
from __future__ import annotations

from typing import Any

from app.backends import feeds_for
from app.runtime.context import StepContext


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    submission_id = str(msg["body"]["feedSubmissionId"])
    report = await feeds_for(ctx).report(submission_id)
    await ctx.data({"feedSubmissionId": submission_id, "processingReport": report})
