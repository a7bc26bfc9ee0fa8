"""Writing MWS response XML.

Real MWS answers start with `<?xml version="1.0"?>` (no encoding declaration), use 2-space
indentation and the section's default namespace. Dates come from the state's integer milliseconds
(app/sandbox/state/dates.py, re-exported here as iso_ms / parse_iso_ms).
"""
from __future__ import annotations

from typing import Any, Iterable

from lxml import etree

from ..state.dates import iso_ms, parse_iso_ms

__all__ = ["DECLARATION", "iso_ms", "money", "parse_iso_ms", "root", "serialize", "sub", "subs"]

DECLARATION = b'<?xml version="1.0"?>\n'


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
