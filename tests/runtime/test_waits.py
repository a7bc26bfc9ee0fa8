"""Waiting before a call: never past the deadline, and a long wait said in the log (issue 15)."""
from __future__ import annotations

import logging

import pytest

from app.clock import VirtualClock
from app.runtime.errors import DeadlineExceeded
from app.runtime.waits import wait_before

log = logging.getLogger("test.waits")


async def test_given_a_wait_over_5_s_then_an_info_line_says_how_long_and_why(caplog):
    caplog.set_level(logging.INFO, logger="test.waits")
    clock = VirtualClock()
    await wait_before(clock, None, log, 45.0, "GetFeedSubmissionList", "pacing")
    assert clock.time() == VirtualClock().time() + 45.0
    assert [r.getMessage() for r in caplog.records] == ["waiting 45.0 s before GetFeedSubmissionList: pacing"]
    assert caplog.records[0].levelno == logging.INFO


async def test_given_a_short_wait_then_nothing_is_logged(caplog):
    caplog.set_level(logging.DEBUG, logger="test.waits")
    await wait_before(VirtualClock(), None, log, 5.0, "getOrder", "pacing")
    assert caplog.records == []


async def test_given_a_wait_that_would_pass_the_deadline_then_deadline_exceeded_and_no_sleep():
    clock = VirtualClock()
    start = clock.time()
    with pytest.raises(DeadlineExceeded) as caught:
        await wait_before(clock, start + 10, log, 30.0, "searchOrders", "QuotaExceeded answered")
    assert caught.value.wait_seconds == 30.0 and clock.time() == start
    assert "searchOrders" in caught.value.message
