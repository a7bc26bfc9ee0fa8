"""What the report parser fails with: `MalformedReport`, a step error of its own (backend-neutral).

A report body passed its Content-MD5 check (MWS) or came whole from its document URL (SP-API), so
fetching it again gives the same bytes and the same failure: not retriable.
"""
from __future__ import annotations

from app.runtime.errors import StepError


class MalformedReport(StepError):
    """The report cannot be read: a line longer than the limit, XML that is not well-formed or
    declares a DTD, a body in no known charset."""

    code = "MalformedResponse"
    type = "Receiver"
    retriable = False
