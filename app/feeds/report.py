"""Parse a GetFeedSubmissionResult body into the contract's processing report (step-api.md §5).

Two shapes arrive (mws-api.md §4.4): an XML ProcessingReport inside an AmazonEnvelope, and, for
flat-file feeds, a tab-separated text report. Either becomes

    {"statusCode": "Complete", "messagesProcessed": 2, "messagesSuccessful": 1,
     "messagesWithError": 1, "messagesWithWarning": 0,
     "results": [{"messageId": 2, "resultCode": "Error", "resultMessageCode": 13013,
                  "resultDescription": "...", "sku": "..."}]}

with integer counts and codes, AdditionalInfo flattened into each result (sku, amazonOrderID, ...);
a result Amazon gave no code (a blank error-code column) has no resultMessageCode rather than an
invented one.

Charsets (user-pitfalls §1.7): Amazon declares Java names Python lacks (Windows-31J in JP) and says
ISO-8859-1 where it sends Windows-1252 (US/EU); both are mapped to the codec that decodes the bytes.
JP flat-file reports may carry Japanese headers and summary lines: then columns are read by position.

Every parse failure is a MalformedResponse with retriable=False: the body passed its Content-MD5
check, so fetching it again gives the same bytes and the same failure.
"""
from __future__ import annotations

import codecs
import re

from lxml import etree

from app.mws.errors import MalformedResponse
from app.mws.xml import lower_camel

__all__ = ["parse_processing_report"]

COUNTS = ("MessagesProcessed", "MessagesSuccessful", "MessagesWithError", "MessagesWithWarning")
_DIGITS = re.compile(r"[0-9]{1,20}\Z")
_CHARSET = re.compile(r"charset\s*=\s*\"?([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Names Python does not know, or knows as a narrower codec than the bytes Amazon sends.
_ALIASES = {"windows-31j": "cp932", "cswindows31j": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
            "csshiftjis": "cp932"}
_WIDER = {"shift_jis": "cp932", "iso8859-1": "cp1252"}  # by codecs.lookup name
_NOT_CHARSETS = {"unicode-escape", "raw-unicode-escape"}  # text codecs that turn `\ud800` into a surrogate
_SURROGATE = re.compile("[\ud800-\udfff]")

def parse_processing_report(body: bytes, content_type: str | None = None) -> dict:
    """The processing report of `body`, decoded by the charset the response declares."""
    charset = _charset(content_type)
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _from_xml(body, charset)
    return _from_tsv(_decode(body, charset))

def _malformed(message: str) -> MalformedResponse:
    return MalformedResponse(message, retriable=False)

def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return codec_for(match.group(1)) if match else None

def codec_for(name: str) -> str | None:
    """The Python codec that decodes what Amazon sends under charset `name`; None when unknown."""
    name = name.strip().lower()
    if name in _ALIASES:
        return _ALIASES[name]
    try:
        info = codecs.lookup(name)
    except LookupError:  # an unknown name: decode as if none was given
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None  # base64, hex, rot13, unicode_escape...: no charset, whatever the answer says
    return _WIDER.get(info.name, info.name)


def _text_of(body: bytes, codec: str) -> str:
    """`body` decoded; any lone surrogate a decoder lets through (UTF-7, UTF-16 halves) replaced, so
    that no string of the report can fail to encode as UTF-8 later (in lxml, in the step's answer)."""
    return _SURROGATE.sub("\ufffd", body.decode(codec, errors="replace"))

# ---------------------------------------------------------------------------------------- XML

def _from_xml(body: bytes, charset: str | None) -> dict:
    # The document's own encoding declaration describes its bytes; Amazon's Content-Type charset
    # is only needed when the document has none (lxml would otherwise assume UTF-8). Either is
    # decoded here with the mapped codec (libxml2 may not know Windows-31J, and would read
    # ISO-8859-1 literally) and handed to lxml as UTF-8, the declaration stripped.
    declared = _XML_ENCODING.match(body)
    codec = codec_for(declared.group(1).decode("ascii")) if declared else charset
    if codec is not None:
        text = _XML_DECLARATION.sub("", _text_of(body, codec).lstrip("\ufeff"), count=1)
        body = text.encode("utf-8")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             encoding="utf-8" if codec is not None else None)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError, LookupError):
        raise _malformed("The feed processing report is not well-formed XML") from None
    if root.getroottree().docinfo.doctype:
        raise _malformed("The feed processing report carries a DTD, which is refused")
    report = next((e for e in root.iter() if _local(e) == "ProcessingReport"), None)
    if report is None:
        raise _malformed("The feed result holds no ProcessingReport")
    out: dict = {}
    status = _text(report, "StatusCode")
    if status is not None:
        out["statusCode"] = status
    summary = _child(report, "ProcessingSummary")
    for name in COUNTS:
        value = _text(summary, name) if summary is not None else None
        out[lower_camel(name)] = _int(value, name) if value is not None else 0
    out["results"] = [_result(result) for result in report if _local(result) == "Result"]
    return out

def _result(element: etree._Element) -> dict:
    result = _with_code({
        "messageId": _int(_text(element, "MessageID"), "MessageID"),
        "resultCode": _text(element, "ResultCode") or "",
    }, _text(element, "ResultMessageCode"), "ResultMessageCode")
    result["resultDescription"] = _text(element, "ResultDescription") or ""
    info = _child(element, "AdditionalInfo")
    if info is not None:
        for child in info:
            if isinstance(child.tag, str) and child.text and child.text.strip():
                result[lower_camel(_local(child))] = child.text.strip()
    return result

def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""

def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if _local(c) == name), None)

def _text(element: etree._Element, name: str) -> str | None:
    child = _child(element, name)
    if child is None or child.text is None:
        return None
    return child.text.strip()

def _int(value: str | None, name: str) -> int:
    """A count or id as ProcessingReport.xsd has them (nonNegativeInteger, `\\d{1,20}`): ASCII digits
    only, so that neither a sign nor a 5,000-digit number (past int()'s digit limit) gets through."""
    text = (value or "").strip()
    if not _DIGITS.match(text):
        raise _malformed(f"The feed processing report's {name} is not a whole number of 1 to 20 digits")
    return int(text)

def _with_code(result: dict, value: str | None, name: str) -> dict:
    """`result` with its integer resultMessageCode, when Amazon gave one."""
    if value:
        result["resultMessageCode"] = _int(value, name)
    return result

# ---------------------------------------------------------------------------------------- TSV

def _decode(body: bytes, charset: str | None) -> str:
    if charset:
        return _text_of(body, "utf-8-sig" if charset == "utf-8" else charset)
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Amazon's European flat files without a declared charset are Windows-1252.
        return body.decode("cp1252", errors="replace")

_SUMMARY = re.compile(r"number of records (processed|successful)\s+(\S+)", re.IGNORECASE)
COLUMNS = ("original-record-number", "sku", "error-code", "error-type", "error-message")
# A localized report (JP) names the error types in its own language.
_TYPES = {"エラー": "Error", "警告": "Warning"}

def _from_tsv(text: str) -> dict:
    """Feed Processing Summary lines, then rows of original-record-number, sku, error-code, ...

    An English header names the columns; any other header (Japanese in JP) is read by position,
    and summary lines whose label is not English give their counts in order: processed, successful.
    """
    counts: dict[str, int] = {}
    numbers: list[int] = []
    header: list[str] | None = None
    results: list[dict] = []
    for line in text.splitlines():
        if header is None:
            header = _summary_or_header(line, counts, numbers)
            continue
        if not line.strip():
            continue
        row = dict(zip(header, (cell.strip() for cell in line.split("\t"))))
        results.append(_tsv_result(row))
    if not counts and not numbers and header is None:
        raise _malformed("The feed result is neither XML nor a flat-file processing report")
    if not counts:
        counts = dict(zip(("processed", "successful"), numbers))
    processed = counts.get("processed", 0)
    successful = counts.get("successful", 0)
    errors = {r["messageId"] for r in results if r["resultCode"] == "Error"}
    warnings = {r["messageId"] for r in results if r["resultCode"] == "Warning"}
    return {
        "statusCode": "Complete",
        "messagesProcessed": processed,
        "messagesSuccessful": successful,
        "messagesWithError": max(processed - successful, len(errors)),
        "messagesWithWarning": len(warnings),
        "results": results,
    }

def _summary_or_header(line: str, counts: dict[str, int], numbers: list[int]) -> list[str] | None:
    """Collects a summary count from `line`; returns the column names when `line` is the header."""
    summary = _SUMMARY.search(line)
    if summary:
        kind = summary.group(1).lower()
        counts[kind] = _int(summary.group(2), f"number of records {kind}")
        return None
    cells = [cell.strip() for cell in line.split("\t")]
    if COLUMNS[0] in (names := [cell.lower() for cell in cells]):
        return names  # the English header: columns by name, whatever their order
    filled = [cell for cell in cells if cell]
    if len(filled) == 2 and "\t" in line and filled[1].isdigit() and not filled[0].isdigit():
        numbers.append(_int(filled[1], "summary count"))  # a localized summary line: label, count
    elif len(cells) >= len(COLUMNS) and all(cells[:3]) and not any(c.isdigit() for c in cells[:3]):
        return list(COLUMNS)  # a localized header: the English columns, in Amazon's order
    return None

def _tsv_result(row: dict[str, str]) -> dict:
    kind = row.get("error-type", "")
    result = _with_code({
        "messageId": _int(row.get("original-record-number", ""), "original-record-number"),
        "resultCode": _TYPES.get(kind, kind),
    }, row.get("error-code", ""), "error-code")
    result["resultDescription"] = row.get("error-message", "")
    sku = row.get("sku", "")
    if sku:
        result["sku"] = sku
    return result
