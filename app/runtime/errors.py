"""What a step can fail with, independent of the backend behind it.

`StepError` is the one thing the runtime turns into an `error` event; the MWS error tree in
`app.mws.errors` (and a later SP-API one) derives from it. `InputProblem` is a 422 entry found
before anything runs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


class StepError(Exception):
    """A failure a step reports as an `error` event (contract §3)."""

    code: str = "InternalError"
    type: str = "Receiver"
    retriable: bool = False
    # True: not a failure but "not yet" — the outcome is `rebound` (call again later) whatever the
    # step holds (STEP_TIMEOUT passing, a feed result not ready). See app.runtime.outcome.
    rebounds: bool = False
    # False: retriable by the client, yet a step that could resume answers `error` rather than
    # `rebound` (a report whose Content-MD5 failed three times: a person should look).
    resumes: bool = True

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        type: str | None = None,
        request_id: str | None = None,
        retriable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if type is not None:
            self.type = type
        if retriable is not None:
            self.retriable = retriable
        self.request_id = request_id

    def retry_after_ms(self, least_ms: int) -> int:
        """When to call again after this rebounds: THROTTLE_RETRY_DELAY (`least_ms`) at least."""
        return least_ms

    def as_error(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "type": self.type,
            "requestId": self.request_id,
            "retriable": self.retriable,
        }


class DeadlineExceeded(StepError):
    """STEP_TIMEOUT would pass before the step could finish. Escaping a step it becomes a rebound;
    steps that can resume mid-way save their snapshot first."""

    code = "DeadlineExceeded"
    retriable = True
    rebounds = True
    # The wait the deadline cut short: a resumed step should not call again sooner.
    wait_seconds: float = 0.0

    def retry_after_ms(self, least_ms: int) -> int:
        return max(least_ms, math.ceil(self.wait_seconds * 1000))


class FeedCancelled(StepError):
    code = "FeedCancelled"
    type = "Sender"


class FeedFatal(StepError):
    """SP-API ended a feed FATAL (our word, like FeedCancelled); its report, when one exists, comes first."""

    code = "FeedFatal"
    type = "Sender"


@dataclass(frozen=True)
class InputProblem:
    """One bad or missing input field: `path` names the field itself (`msg.body.amazonOrderIds[3]`)."""

    path: str
    message: str


MAX_PROBLEMS = 50  # a 422 lists at most this many; the rest are counted in one last entry


@dataclass(frozen=True)
class MoreProblems(InputProblem):
    """Stands for problems not listed: `count` more (at least that many when not `exact`: whoever
    found them stopped counting)."""

    count: int = 0
    exact: bool = True

    @classmethod
    def of(cls, path: str, count: int, exact: bool = True) -> "MoreProblems":
        amount = f"{count}" if exact else f"at least {count}"
        return cls(path, f"… and {amount} more problem{'s' if count != 1 else ''}", count, exact)


class InputInvalid(Exception):
    """Raised before a step starts: answered with 422 and the problems, no call made.

    At most MAX_PROBLEMS are kept; the others (and any MoreProblems given) become one MoreProblems
    entry at the end, so that a body of a million bad ids cannot make a million-line answer."""

    def __init__(self, problems: list[InputProblem]) -> None:
        listed = [p for p in problems if not isinstance(p, MoreProblems)]
        more = [p for p in problems if isinstance(p, MoreProblems)]
        hidden = max(0, len(listed) - MAX_PROBLEMS) + sum(p.count for p in more)
        if hidden:
            path = more[0].path if more else _root(listed[MAX_PROBLEMS].path)
            listed = listed[:MAX_PROBLEMS] + [MoreProblems.of(path, hidden, all(p.exact for p in more))]
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in listed))
        self.problems = listed


def _root(path: str) -> str:
    """Where a run of problems lives: `msg.body` for the message's fields, else the first name."""
    if path.startswith("msg.body"):
        return "msg.body"
    return path.replace("[", ".").split(".", 1)[0] or "body"
