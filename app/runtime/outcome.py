"""Where a failure becomes an outcome — `rebound` or `error` — decided once for every step.

Like Airbyte's `ErrorHandler.interpret_response` → `ErrorResolution`, this says *what* a failure
means for the execution; how long the client waited before giving up is the client's business
(`classify` / `wait_for` of the backend), and where a step stands is the step's (its resume point).

    failure                                            sample     run, resumable   run, not resumable
    not yet (`rebounds`: DeadlineExceeded, NotReady)   rebound    rebound          rebound
    retriable (throttled, 5xx, network, malformed)     error      rebound          error
      … whose class says `resumes = False`             error      error            error
    anything else (auth, bad request, cancelled)       error      error            error

"Resumable" is the step's word: it holds a resume point that makes calling again safe (the
trigger's window and NextToken, a feed Amazon accepted). A failure it cannot resume from — a
SubmitFeed whose fate is unknown — is an error, so the platform never repeats it blindly.
"""
from __future__ import annotations

from enum import Enum

from app.runtime.errors import StepError


class Outcome(str, Enum):
    OK = "ok"
    REBOUND = "rebound"
    ERROR = "error"


def resolve(exc: StepError, *, sample: bool, resumable: bool) -> Outcome:
    """The table of this module's docstring."""
    if exc.rebounds:
        return Outcome.REBOUND
    if sample or not resumable:
        return Outcome.ERROR
    return Outcome.REBOUND if exc.retriable and exc.resumes else Outcome.ERROR

