"""Get Feed Submission Status: where a submitted feed stands (GetFeedSubmissionList by id)."""
from __future__ import annotations

from typing import Any

from app.feeds.submission import submission_info
from app.mws.client import client_for
from app.runtime.context import StepContext

FIELDS = ("feedSubmissionId", "feedType", "feedProcessingStatus", "submittedDate",
          "startedProcessingDate", "completedProcessingDate")


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    info = await submission_info(client_for(ctx), str(msg["body"]["feedSubmissionId"]))
    await ctx.data({key: info[key] for key in FIELDS if key in info})
