"""The Feeds 2009-01-01 section: models.py (the backend: submissions, lifecycle, rules), responses.py
(handlers), parse.py (reading XML feeds, XSD), processing.py (applying XML feeds to the seller's
state), flat.py (flat-file feeds and their tab-separated reports), report.py (XML processing reports)."""
from __future__ import annotations

from functools import partial

from ..sections import Section, from_model
from . import responses
from .models import FeedsBackend, FeedStore

__all__ = ["FeedStore", "FeedsBackend", "section"]


def section(backend: FeedsBackend) -> Section:
    return from_model("feeds", {
        "SubmitFeed": partial(responses.submit_feed, backend),
        "GetFeedSubmissionList": partial(responses.get_feed_submission_list, backend),
        "GetFeedSubmissionListByNextToken": partial(responses.get_feed_submission_list_by_next_token, backend),
        "GetFeedSubmissionCount": partial(responses.get_feed_submission_count, backend),
        "CancelFeedSubmissions": partial(responses.cancel_feed_submissions, backend),
        "GetFeedSubmissionResult": partial(responses.get_feed_submission_result, backend),
    }, root_alias=True)
