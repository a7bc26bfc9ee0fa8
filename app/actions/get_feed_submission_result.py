"""Get Feed Submission Result: the parsed processing report of a finished feed; a feed still
processing answers `rebound`, not an error."""
from __future__ import annotations

from typing import Any

from app.feeds.submission import fetch_report
from app.mws.client import client_for
from app.mws.errors import NotReady
from app.runtime.context import StepContext


async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
    submission_id = str(msg["body"]["feedSubmissionId"])
    try:
        report = await fetch_report(client_for(ctx), submission_id)
    except NotReady as exc:
        await ctx.rebound(f"{exc.code}: {exc.message}", ctx.settings.response_check_delay_ms)
        return
    await ctx.data({"feedSubmissionId": submission_id, "processingReport": report})
