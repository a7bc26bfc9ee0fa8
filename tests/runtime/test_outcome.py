"""Where a failure becomes an outcome (app.runtime.outcome): the table, row by row."""
from __future__ import annotations

import pytest

from app.mws.errors import AuthError, ContentMD5Mismatch, NotReady, ServerError, Throttled
from app.runtime.errors import DeadlineExceeded, FeedCancelled
from app.runtime.outcome import Outcome, resolve

R, E = Outcome.REBOUND, Outcome.ERROR


@pytest.mark.parametrize("exc, sample, resumable_run, not_resumable_run", [
    (DeadlineExceeded("late"), R, R, R),
    (NotReady("not ready"), R, R, R),
    (Throttled("slow down"), E, R, E),
    (ServerError("500"), E, R, E),
    (ContentMD5Mismatch("md5"), E, E, E),
    (AuthError("denied"), E, E, E),
    (FeedCancelled("cancelled"), E, E, E),
], ids=lambda v: type(v).__name__ if isinstance(v, Exception) else v.value)
def test_given_a_failure_when_resolved_then_the_table_decides(exc, sample, resumable_run, not_resumable_run):
    assert resolve(exc, sample=True, resumable=True) is sample
    assert resolve(exc, sample=False, resumable=True) is resumable_run
    assert resolve(exc, sample=False, resumable=False) is not_resumable_run
