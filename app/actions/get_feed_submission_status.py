"""Get Feed Submission Status: where a submitted feed stands (GetFeedSubmissionList by id on MWS)."""
from __future__ import annotations

from typing import Any

from app.backends import feeds_for
from app.runtime.context import StepContext

FIELDS = ("feedSubmissionId", "feedType", "feedProcessingStatus", "submittedDate",
          "startedProcessingDate", "completedProcessingDate")


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    info = await feeds_for(ctx).status(str(msg["body"]["feedSubmissionId"]))
    await ctx.data({key: info[key] for key in FIELDS if key in info})
