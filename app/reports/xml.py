"""XML reports to JSON-ready dicts, streamed record by record (`XmlRecordReader`) or whole (`parse_xml`).

Keys are the report's own element names (no renaming, like the flat files' headers); an element that
repeats under one parent becomes a list; a leaf is its text; attributes sit beside the children
under `@name`, and the text of an element with attributes under `#text`. Records are the children of
the root element (an AmazonEnvelope's `Message`s), `Header` and `MessageType` excepted: each is
yielded as soon as it ends and then dropped, so memory stays bounded by one record.

Hardened like the client's parser (app/mws/xml.py, not imported: this package is backend-neutral):
no DTD, no entities, no network, libxml2's default depth and size limits; a DOCTYPE or ENTITY
declaration anywhere, or XML that is not well-formed, is a `MalformedReport`.
"""
from __future__ import annotations

from typing import Any

from lxml import etree

from .errors import MalformedReport

SKIPPED = frozenset({"Header", "MessageType"})
_DECLARATIONS = (b"<!doctype", b"<!entity")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def element_data(el: etree._Element) -> Any:
    """An element as data: its text, or a dict of its attributes and children (lists where repeated)."""
    children = [c for c in el if isinstance(c.tag, str)]
    attrs = {f"@{_local(k)}": v for k, v in el.attrib.items()}
    text = (el.text or "").strip()
    if not children:
        if not attrs:
            return text
        return {**attrs, **({"#text": text} if text else {})}
    out: dict[str, Any] = dict(attrs)
    repeated: set[str] = set()
    for child in children:
        key, value = _local(child.tag), element_data(child)
        if key not in out:
            out[key] = value
        elif key in repeated:
            out[key].append(value)
        else:
            out[key] = [out[key], value]
            repeated.add(key)
    return out


class XmlRecordReader:
    """Push-style: `feed(chunk)` returns the records the chunk completed, `close()` the rest."""

    def __init__(self) -> None:
        self._parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                           load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
        self._depth = 0
        self._tail = b""
        self.root: str | None = None

    def feed(self, chunk: bytes) -> list[dict[str, Any]]:
        window = (self._tail + chunk).lower()
        if any(d in window for d in _DECLARATIONS):
            raise MalformedReport("The XML report declares a DTD or entities, which is refused")
        self._tail = window[-8:]
        try:
            self._parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            raise MalformedReport(f"The XML report is not well-formed: {exc.msg}") from None
        return self._records()

    def close(self) -> list[dict[str, Any]]:
        try:
            self._parser.close()
        except etree.XMLSyntaxError as exc:
            raise MalformedReport(f"The XML report is not well-formed: {exc.msg}") from None
        return self._records()

    def _records(self) -> list[dict[str, Any]]:
        out = []
        for event, el in self._parser.read_events():
            if event == "start":
                self._depth += 1
                if self._depth == 1:
                    self.root = _local(el.tag)
                continue
            self._depth -= 1
            if self._depth == 1:
                name = _local(el.tag)
                if name not in SKIPPED:
                    out.append({name: element_data(el)})
                el.clear()
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]
        return out


def parse_xml(body: bytes) -> dict[str, Any]:
    """A whole XML report as {root element name: its data}."""
    if any(d in body.lower() for d in _DECLARATIONS):
        raise MalformedReport("The XML report declares a DTD or entities, which is refused")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise MalformedReport(f"The XML report is not well-formed: {exc}") from None
    return {_local(root.tag): element_data(root)}
