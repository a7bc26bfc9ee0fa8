"""Reading a submitted feed: a hardened parse, then the envelope's shape (XSD when `xsd_dir` is set).

The sandbox's own checks (it never uses the client's). The parser refuses DTDs, entities and the
network. With an XSD directory, amzn-envelope.xsd is compiled once per process and directory,
lazily and under a lock; validation holds the lock too, because a schema's error log is shared
state (a directory without a usable amzn-envelope.xsd is logged and falls back to the structural
check, so feeds still finish). Each XSD error is attributed to the `Message` whose lines contain it; an error outside every
Message (header, MessageType, ...) rejects the whole document. Without XSDs a minimal structural
check stands in for it.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                         huge_tree=False, remove_comments=True)
_schemas: dict[Path, etree.XMLSchema] = {}
_lock = threading.Lock()
log = logging.getLogger("app.sandbox")


def envelope_schema(xsd_dir: Path) -> etree.XMLSchema:
    """amzn-envelope.xsd from `xsd_dir`, compiled on first use and kept for the process."""
    key = Path(xsd_dir).resolve()
    with _lock:
        schema = _schemas.get(key)
        if schema is None:
            schema = etree.XMLSchema(etree.parse(str(key / "amzn-envelope.xsd"), PARSER))
            _schemas[key] = schema
        return schema


@dataclass
class Problem:
    line: int
    column: int
    message: str


@dataclass
class ParsedFeed:
    root: etree._Element | None = None
    fatal: Problem | None = None                 # not well-formed: nothing can be processed
    document: list[Problem] = field(default_factory=list)    # envelope-level errors: reject all
    per_message: dict[int, list[Problem]] = field(default_factory=dict)   # index of Message → errors

    @property
    def messages(self) -> list[etree._Element]:
        return [] if self.root is None else [m for m in self.root if m.tag == "Message"]


def _child(el: etree._Element, tag: str) -> etree._Element | None:
    return next((c for c in el if c.tag == tag), None)


def parse_feed(body: bytes, message_type: str, xsd_dir: Path | None) -> ParsedFeed:
    try:
        tree = etree.ElementTree(etree.fromstring(body, PARSER))
    except etree.XMLSyntaxError as err:
        line, column = err.position if err.position else (1, 1)
        return ParsedFeed(fatal=Problem(line or 1, column or 1, err.msg or "Invalid document structure"))
    root = tree.getroot()
    parsed = ParsedFeed(root=root)
    if tree.docinfo.doctype:
        parsed.document.append(Problem(1, 1, "DOCTYPE declarations are not allowed in a feed"))
        return parsed
    if xsd_dir is not None:
        _validate(parsed, tree, Path(xsd_dir))
    else:
        _check_shape(parsed)
    if not parsed.document:
        declared = _child(parsed.root, "MessageType")
        if declared is None or (declared.text or "").strip() != message_type:
            line = declared.sourceline if declared is not None else root.sourceline
            parsed.document.append(Problem(line or 1, 1, f"The MessageType must be {message_type} for this FeedType"))
    return parsed


def _validate(parsed: ParsedFeed, tree: etree._ElementTree, xsd_dir: Path) -> None:
    try:
        schema = envelope_schema(xsd_dir)
    except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as err:
        # A wrong MWS_XSD_DIR must not stall every feed: say so, and check the shape instead.
        log.warning("sandbox: cannot load amzn-envelope.xsd from %s (%s); feeds get the structural check only",
                    xsd_dir, err)
        _check_shape(parsed)
        return
    with _lock:
        schema.validate(tree)
        errors = [Problem(e.line, e.column, e.message) for e in schema.error_log]
    starts = [(m.sourceline or 0, n) for n, m in enumerate(parsed.messages)]
    ends = [s for s, _ in starts[1:]] + [_last_line(parsed.root)]
    shared = {s for s, _ in starts if [t for t, _ in starts].count(s) > 1}   # one line, several Messages
    for problem in errors:
        owner = next((n for (start, n), end in zip(starts, ends) if start <= problem.line < end), None)
        if owner is None or starts[owner][0] in shared:
            parsed.document.append(problem)
        else:
            parsed.per_message.setdefault(owner, []).append(problem)


def _last_line(root: etree._Element) -> int:
    """The last line of the document's content (the closing tag of the root has no sourceline)."""
    return max((el.sourceline or 0) for el in root.iter()) + 1


def _check_shape(parsed: ParsedFeed) -> None:
    """Without XSDs: the envelope skeleton, and a MessageID and payload in each Message."""
    root = parsed.root
    if root is None:
        return  # a fatal parse error is reported on its own
    line = root.sourceline or 1
    if root.tag != "AmazonEnvelope":
        parsed.document.append(Problem(line, 1, f"The root element must be AmazonEnvelope, not {root.tag}"))
        return
    header = _child(root, "Header")
    if header is None or _child(header, "MerchantIdentifier") is None:
        parsed.document.append(Problem(line, 1, "The Header with a MerchantIdentifier is missing"))
    if not parsed.messages:
        parsed.document.append(Problem(line, 1, "The envelope has no Message"))
    declared = _child(root, "MessageType")
    message_type = (declared.text or "").strip() if declared is not None else ""
    for n, message in enumerate(parsed.messages):
        where = message.sourceline or line
        mid = _child(message, "MessageID")
        if mid is None or not (mid.text or "").strip().isdigit():
            parsed.per_message.setdefault(n, []).append(Problem(where, 1, "MessageID must be a positive integer"))
        if message_type and _child(message, message_type) is None:
            parsed.per_message.setdefault(n, []).append(
                Problem(where, 1, f"The Message has no {message_type} element"))
