"""Time in the sandbox's state: integer milliseconds since the epoch, and their ISO-8601 form.

Backend-neutral (MWS and SP-API both speak ISO-8601 UTC). Keeping every time as an integer
millisecond means a bound echoed to a client and sent back as the next window's start compares
exactly equal (no float drift at window boundaries).
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

DAY_MS = 86_400_000

_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2})?$"
)


def iso_ms(ms: int) -> str:
    """2020-05-28T11:20:25.747Z: the form MWS uses for echoed bounds and order dates."""
    moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def parse_iso_ms(text: str) -> int:
    """Parse an xs:dateTime (Z, +00:00, +0000 or no offset = UTC) to epoch milliseconds.

    Raises ValueError for anything else. Fractions beyond milliseconds are truncated.
    """
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError("not an ISO-8601 date")
    year, month, day, hour, minute, second, frac, offset = m.groups()
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                      tzinfo=timezone.utc)
    ms = int(moment.timestamp()) * 1000 + int((frac or "0")[:3].ljust(3, "0"))
    if offset and offset not in ("Z", "z"):
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        ms -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60) * 1000
    return ms
