"""Parse a GetFeedSubmissionResult body into the contract's processing report (step-api.md §5).

Two shapes arrive (mws-api.md §4.4): an XML ProcessingReport inside an AmazonEnvelope, and, for
flat-file feeds, a tab-separated text report. Either becomes

    {"statusCode": "Complete", "messagesProcessed": 2, "messagesSuccessful": 1,
     "messagesWithError": 1, "messagesWithWarning": 0,
     "results": [{"messageId": 2, "resultCode": "Error", "resultMessageCode": 13013,
                  "resultDescription": "...", "sku": "..."}]}

with integer counts and codes, AdditionalInfo flattened into each result (sku, amazonOrderID, ...).
"""
from __future__ import annotations

import codecs
import re

from lxml import etree

from app.mws.errors import MalformedResponse

from .md5 import content_md5, verify_md5

__all__ = ["content_md5", "parse_processing_report", "verify_md5"]

COUNTS = ("MessagesProcessed", "MessagesSuccessful", "MessagesWithError", "MessagesWithWarning")
_CHARSET = re.compile(r"charset\s*=\s*\"?([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=", re.IGNORECASE)


def parse_processing_report(body: bytes, content_type: str | None = None) -> dict:
    """The processing report of `body`, decoded by the charset the response declares."""
    charset = _charset(content_type)
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _from_xml(body, charset)
    return _from_tsv(_decode(body, charset))


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1)).name
    except LookupError:  # e.g. a Java-only alias: decode as if none was given
        return None


# ---------------------------------------------------------------------------------------- XML


def _from_xml(body: bytes, charset: str | None) -> dict:
    # The document's own encoding declaration describes its bytes; Amazon's Content-Type charset
    # is only needed when the document has none (lxml would otherwise assume UTF-8).
    encoding = None if _XML_ENCODING.match(body) else charset
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, encoding=encoding
    )
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError, LookupError):
        raise MalformedResponse("The feed processing report is not well-formed XML") from None
    if root.getroottree().docinfo.doctype:
        raise MalformedResponse("The feed processing report carries a DTD, which is refused")
    report = next((e for e in root.iter() if _local(e) == "ProcessingReport"), None)
    if report is None:
        raise MalformedResponse("The feed result holds no ProcessingReport")
    out: dict = {}
    status = _text(report, "StatusCode")
    if status is not None:
        out["statusCode"] = status
    summary = _child(report, "ProcessingSummary")
    for name in COUNTS:
        value = _text(summary, name) if summary is not None else None
        out[_lower_camel(name)] = _int(value, name) if value is not None else 0
    out["results"] = [_result(result) for result in report if _local(result) == "Result"]
    return out


def _result(element: etree._Element) -> dict:
    result = {
        "messageId": _int(_text(element, "MessageID"), "MessageID"),
        "resultCode": _text(element, "ResultCode") or "",
        "resultMessageCode": _int(_text(element, "ResultMessageCode"), "ResultMessageCode"),
        "resultDescription": _text(element, "ResultDescription") or "",
    }
    info = _child(element, "AdditionalInfo")
    if info is not None:
        for child in info:
            if isinstance(child.tag, str) and child.text and child.text.strip():
                result[_lower_camel(_local(child))] = child.text.strip()
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
    try:
        return int(value or "")
    except ValueError:
        raise MalformedResponse(f"The feed processing report has a non-integer {name}") from None


def _lower_camel(name: str) -> str:
    """Amazon's name in lowerCamelCase (SKU -> sku, AmazonOrderID -> amazonOrderID)."""
    match = re.match(r"[A-Z]+", name)
    if not match:
        return name
    caps = match.group(0)
    if len(caps) > 1 and len(caps) < len(name) and name[len(caps)].islower():
        caps = caps[:-1]
    return caps.lower() + name[len(caps):]


# ---------------------------------------------------------------------------------------- TSV


def _decode(body: bytes, charset: str | None) -> str:
    if charset:
        return body.decode(charset, errors="replace")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Amazon's European flat files without a declared charset are Windows-1252.
        return body.decode("cp1252", errors="replace")


_SUMMARY = re.compile(r"number of records (processed|successful)\s+(\d+)", re.IGNORECASE)


def _from_tsv(text: str) -> dict:
    """Feed Processing Summary lines, then rows of original-record-number, sku, error-code, ..."""
    counts: dict[str, int] = {}
    header: list[str] | None = None
    results: list[dict] = []
    for line in text.splitlines():
        if header is None:
            summary = _SUMMARY.search(line)
            if summary:
                counts[summary.group(1).lower()] = int(summary.group(2))
            elif line.strip().lower().startswith("original-record-number"):
                header = [column.strip().lower() for column in line.split("\t")]
            continue
        if not line.strip():
            continue
        row = dict(zip(header, line.split("\t")))
        results.append(_tsv_result(row))
    if not counts and header is None:
        raise MalformedResponse("The feed result is neither XML nor a flat-file processing report")
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


def _tsv_result(row: dict[str, str]) -> dict:
    result = {
        "messageId": _int(row.get("original-record-number", "").strip(), "original-record-number"),
        "resultCode": row.get("error-type", "").strip(),
        "resultMessageCode": _int(row.get("error-code", "").strip(), "error-code"),
        "resultDescription": row.get("error-message", "").strip(),
    }
    sku = row.get("sku", "").strip()
    if sku:
        result["sku"] = sku
    return result
