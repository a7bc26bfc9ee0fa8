"""Which codec decodes a report: the report's own declaration first, else its marketplace's.

Order (reports.md §4): a byte-order mark in the body (UTF-8, UTF-16); else the charset of the
response's Content-Type (Amazon's Java names: `Cp1252`, `Windows-31J`, `ISO-8859-1`, `UTF-8`); else
the table of app/model/mws/reports.json "charsets" for the report type, then the marketplace
(JP A1VC38T7YXB528 → Windows-31J), then the default (Cp1252). Names are mapped to the codec that
decodes the bytes Amazon sends under them: Windows-31J and Shift_JIS → cp932 (Python has no
Windows-31J, and its shift_jis lacks cp932's characters such as ～ and ①), ISO-8859-1 → cp1252
(Amazon's "Latin-1" reports carry Windows-1252 bytes such as € and ’).
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

from app.model import load

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_WIDER = {"shift_jis": "cp932", "latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}
# Longest first: a UTF-32-LE mark starts with the UTF-16-LE one.
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
LONGEST_BOM = 4


@lru_cache(maxsize=1)
def _table() -> dict:
    return load("mws", "reports")["charsets"]


def codec_for(name: str | None) -> str | None:
    """The Python codec for a declared charset name; None when the name is unknown."""
    if not name:
        return None
    known = {k.lower(): v for k, v in _table()["codecs"].items()}
    key = name.strip().strip("\"'").lower()
    if key in known:
        return known[key]
    if key in ("windows-31j", "cswindows31j", "ms_kanji", "sjis", "csshiftjis"):
        return "cp932"
    try:
        codec = codecs.lookup(key).name
    except LookupError:
        return None
    return _WIDER.get(codec, codec)


def declared(content_type: str | None) -> str | None:
    """The codec of a Content-Type's charset parameter (`text/plain;charset=Cp1252` → cp1252)."""
    match = _CHARSET.search(content_type or "")
    return codec_for(match.group(1)) if match else None


def fallback(marketplace_id: str | None = None, report_type: str | None = None) -> str:
    """The codec Amazon uses for a report type or marketplace when the report declares none."""
    table = _table()
    name = (table["reportTypes"].get(report_type or "") or table["marketplaces"].get(marketplace_id or "")
            or table["default"])
    return codec_for(name) or "cp1252"


def bom(head: bytes) -> tuple[str, int] | None:
    """(codec, length of the mark) when `head` starts with a byte-order mark."""
    for mark, codec in BOMS:
        if head.startswith(mark):
            return codec, len(mark)
    return None
