"""What the client does about a failure (`classify`), decided apart from how long it waits (`wait_for`).

    error                                     sample mode          run mode
    NotReady (FeedProcessingResultNotReady)   rebound              rebound     (raised; the step rebounds)
    Throttled (any 503, whatever its code)    fail                 throttle-wait ≥ THROTTLE_RETRY_DELAY and
                                                                   ≥ the bucket's restore time, until the deadline
    ServerError, TransportError, Timeout,     fail                 retry 4 times, waiting 1, 4, 10, 30 s
      MalformedResponse (retriable)
    ContentMD5Mismatch                        fail                 retry 3 times, waiting 1, 4, 10 s
    UnexpectedResponse (3xx/4xx, no error     fail                 fail        (a redirect is not followed)
      document)
    AuthError, RequestError, anything else    fail                 fail        (EndpointNotAllowed: before
                                                                               any request)

A non-idempotent operation (SubmitFeed) is retried only when Amazon surely did not act on it: a
503, or a connection that failed before the request left. After a 500, a cut or malformed answer or
a timeout the feed may have been accepted, so the step reports the error instead of submitting twice.

`app.mws.client` applies this table to every call; `verify_credentials` runs in sample mode.
"""
from __future__ import annotations

from enum import Enum

from app.mws.errors import (
    ContentMD5Mismatch,
    MalformedResponse,
    MWSError,
    NotReady,
    ServerError,
    Throttled,
    TransportError,
)

BACKOFF = (1.0, 4.0, 10.0, 30.0)  # Amazon's advice for 500/503 (mws-api.md §5.2), at most 4 retries
MD5_RETRIES = 3
THROTTLE_RETRIES_WITHOUT_DEADLINE = 20  # a bound for callers that give no deadline


class Decision(Enum):
    RETRY = "retry"
    THROTTLE_WAIT = "throttle-wait"
    REBOUND = "rebound"
    FAIL = "fail"


def classify(error: MWSError, *, mode: str, failures: int, throttles: int, deadline: float | None,
             idempotent: bool = True) -> Decision:
    """The decision table of this module's docstring. `failures`/`throttles` count this call's so far."""
    if isinstance(error, NotReady):
        return Decision.REBOUND
    if mode != "run":
        return Decision.FAIL
    if not idempotent and not isinstance(error, Throttled):
        unsent = isinstance(error, TransportError) and not error.request_sent
        if not unsent:
            return Decision.FAIL
    if isinstance(error, Throttled):
        if deadline is None and throttles > THROTTLE_RETRIES_WITHOUT_DEADLINE:
            return Decision.FAIL
        return Decision.THROTTLE_WAIT
    if isinstance(error, ContentMD5Mismatch):
        return Decision.RETRY if failures <= MD5_RETRIES else Decision.FAIL
    if isinstance(error, (ServerError, TransportError, MalformedResponse)) and error.retriable:
        return Decision.RETRY if failures <= len(BACKOFF) else Decision.FAIL
    return Decision.FAIL


def wait_for(decision: Decision, *, failures: int, throttle_delay: float, restore_seconds: float) -> float:
    """Seconds to wait before the next attempt."""
    if decision is Decision.THROTTLE_WAIT:
        return max(throttle_delay, restore_seconds)
    if decision is Decision.RETRY:
        return BACKOFF[min(failures, len(BACKOFF)) - 1]
    return 0.0
