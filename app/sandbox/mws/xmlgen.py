"""Writing MWS response XML, and the sandbox's dates.

Real MWS answers start with `<?xml version="1.0"?>` (no encoding declaration), use 2-space
indentation and the section's default namespace. Times are kept as integer milliseconds since the
epoch everywhere in the sandbox, so a `LastUpdatedBefore` echoed to a client and sent back as the next
`LastUpdatedAfter` compares exactly equal (no float drift at window boundaries).
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Iterable

from lxml import etree

DECLARATION = b'<?xml version="1.0"?>\n'

_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2})?$"
)


def root(tag: str, namespace: str | None) -> etree._Element:
    return etree.Element(tag, nsmap={None: namespace} if namespace else None)


def sub(parent: etree._Element, tag: str, text: Any = None) -> etree._Element:
    """Append a child in the parent's namespace; `text` may be str, int, bool (true/false)."""
    ns = etree.QName(parent).namespace
    el = etree.SubElement(parent, f"{{{ns}}}{tag}" if ns else tag)
    if text is not None:
        el.text = ("true" if text else "false") if isinstance(text, bool) else str(text)
    return el


def subs(parent: etree._Element, pairs: Iterable[tuple[str, Any]]) -> None:
    """Append simple children in order, skipping the ones whose value is None."""
    for tag, value in pairs:
        if value is not None:
            sub(parent, tag, value)


def money(parent: etree._Element, tag: str, currency: str, amount_cents: int) -> None:
    el = sub(parent, tag)
    sub(el, "CurrencyCode", currency)
    sub(el, "Amount", f"{amount_cents // 100}.{amount_cents % 100:02d}")


def serialize(el: etree._Element) -> bytes:
    etree.indent(el, space="  ")
    return DECLARATION + etree.tostring(el, encoding="utf-8")


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
