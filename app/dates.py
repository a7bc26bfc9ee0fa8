"""Dates as users type them and as Amazon wants them.

Users give `1970-01-01T00:00:00.000 +0000` (the original component's format) or any ISO-8601 form;
Amazon wants UTC with a `Z`. Python 3.11's `fromisoformat` rejects `+0000`, so the offset is
normalised first. A date without an offset is taken as UTC. Dates are taken from 1970-01-01 to the
end of 9999 (UTC): outside that Amazon has nothing, and converting `0001-01-01T00:00:00+01:00` to UTC
would overflow Python's datetime.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime.max.replace(tzinfo=timezone.utc)
_SPACED_OFFSET = re.compile(r"\s*([+-])(\d{2}):?(\d{2})$")


class DateFormatError(ValueError):
    """The text is not a date either accepted format describes."""


class DateOutOfRange(DateFormatError):
    """A date before 1970 or after 9999 (UTC)."""


def parse_date(text: str) -> datetime:
    value = text.strip()
    if not value:
        raise DateFormatError("empty date")
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    else:
        value = _SPACED_OFFSET.sub(lambda m: f"{m.group(1)}{m.group(2)}:{m.group(3)}", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise DateFormatError(
            "not a date: use 1970-01-01T00:00:00.000 +0000 or ISO-8601 such as 2026-11-20T10:18:00Z"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        moment = parsed.astimezone(timezone.utc)
    except OverflowError:  # year 1 east of UTC, year 9999 west of it
        moment = None
    if moment is None or not EPOCH <= moment <= LATEST:
        raise DateOutOfRange("out of range: dates run from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z")
    return moment


def to_amazon(moment: datetime) -> str:
    """UTC `Z` form, with milliseconds only when there are any."""
    moment = moment.astimezone(timezone.utc)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize(text: str) -> str:
    return to_amazon(parse_date(text))
