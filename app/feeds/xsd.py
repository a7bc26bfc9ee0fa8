"""Validate a built envelope against Amazon's amzn-envelope.xsd, read from MWS_XSD_DIR at run time.

The schema (with its ~60 includes) takes about 1.5 s and 40 MB to compile, so it is compiled once per
process and folder, lazily, under a lock. lxml's error log is turned into InputProblems that name
the input message (MessageID n -> messages[n-1]) and the input key, and never echo the value.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

from lxml import etree

from app.runtime.errors import InputInvalid, InputProblem

from .kinds import Kind
from .per_folder import once_per_folder
from .xsd_jsonschema import required_names
from .xsd_model import ElementType, xsd_model

ENVELOPE_XSD = "amzn-envelope.xsd"
MAX_PROBLEMS = 100  # a 422 for 30,000 bad messages names the first ones, not all

@once_per_folder
def envelope_schema(xsd_dir: Path) -> etree.XMLSchema:
    """The compiled amzn-envelope.xsd of `xsd_dir`, compiled on first use only."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(xsd_dir / ENVELOPE_XSD), parser))


def validate_envelope(body: bytes, xsd_dir: Path, kind: Kind, *, single: bool = False) -> None:
    """Raise InputInvalid when `body` does not validate; each problem names messages[i].field."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    tree = etree.fromstring(body, parser)
    schema = envelope_schema(xsd_dir)
    if schema.validate(tree):
        return
    locator = _Locator(tree)
    declared = _Declared(xsd_dir, kind.message_type)
    problems: list[InputProblem] = []
    seen: set[tuple[str, str]] = set()
    for entry in schema.error_log:
        if len(problems) >= MAX_PROBLEMS:
            break
        problem = _problem(entry, locator, kind, single, declared)
        if (problem.path, problem.message) not in seen:
            seen.add((problem.path, problem.message))
            problems.append(problem)
    raise InputInvalid(problems)


class _Locator:
    """Finds the element an error line points at (every element of a built feed starts a line)."""

    def __init__(self, tree: etree._Element) -> None:
        self.lines: list[int] = []
        self.elements: list[etree._Element] = []
        for element in tree.iter():
            self.lines.append(element.sourceline or 0)
            self.elements.append(element)

    def at(self, line: int, tag: str | None) -> etree._Element | None:
        """The element named `tag` at or around `line` (libxml2 may report a child's line)."""
        index = bisect.bisect_right(self.lines, line) - 1
        if index < 0:
            return None
        element = self.elements[index]
        if tag is not None:
            for candidate in (element, *element.iterancestors()):
                if candidate.tag == tag:
                    return candidate
        return element


class _Declared:
    """What the XSD declares below an element of the built feed, read from the XsdModel (which knows
    Product.xsd and its includes); None for elements it does not know, and the fallbacks apply.

    lxml names a missing required child only when nothing follows it: with a later sibling present
    it reports that sibling as "not expected" (Toys without ProductType but with AgeRecommendation).
    Knowing the parent's declared and required children tells the two cases apart."""

    def __init__(self, xsd_dir: Path, message_type: str) -> None:
        self.xsd_dir, self.message_type = xsd_dir, message_type

    def type_of(self, element: etree._Element | None) -> ElementType | None:
        chain: list[str] = []
        while element is not None and element.tag != self.message_type:
            chain.append(element.tag)
            element = element.getparent()
        if element is None or element.getparent() is None or element.getparent().tag != "Message":
            return None
        try:
            model = xsd_model(self.xsd_dir)
            if self.message_type not in model.elements:
                return None
            etype = model.element(self.message_type).type
            for tag in reversed(chain):
                child = etype.children.get(tag)
                if child is None:
                    return None
                etype = child[0].type
        except (OSError, KeyError, etree.LxmlError):
            return None
        return etype

    def required_among(self, parent: etree._Element | None, names: list[str]) -> str | None:
        """The first of `names` that the XSD requires in `parent` (None: unknown, or none is)."""
        etype = self.type_of(parent)
        if etype is None or etype.content is None:
            return None
        required = set(required_names(etype))
        return next((name for name in names if name in required), None)

    def knows(self, parent: etree._Element | None, tag: str) -> bool:
        etype = self.type_of(parent)
        return etype is not None and tag in etype.children


# Optional elements an XSD lists before a required one: "Expected is one of ( FulfillmentCenterID,
# Available, Quantity, Lookup )" means the Quantity (or Available) is missing, not the centre.
_OPTIONAL_FIRST = {"FulfillmentCenterID", "MerchantOrderID", "MerchantOrderItemID", "Available"}
_ELEMENT = re.compile(r"Element '(?P<tag>[\w:]+)'(?:, attribute '(?P<attr>[\w:]+)')?")
_EXPECTED = re.compile(r"Expected is(?: one of)? \( (?P<names>[^)]*) \)")
_REQUIRED_ATTRIBUTE = re.compile(r"The attribute '(?P<attr>[\w:]+)' is required")
_FACET = re.compile(r"\[facet '(?P<facet>\w+)'\]")
_ATOMIC = re.compile(r"atomic type '(?:xs:)?(?P<type>[\w-]+)'")

_FACET_TEXT = {
    "enumeration": "is not one of the values Amazon allows",
    "pattern": "does not have the format Amazon requires",
    "maxLength": "is longer than Amazon allows",
    "minLength": "is shorter than Amazon allows (it must not be empty)",
    "totalDigits": "has more digits than Amazon allows",
    "fractionDigits": "has more decimal places than Amazon allows",
    "minInclusive": "is below the least value Amazon allows",
    "maxInclusive": "is above the greatest value Amazon allows",
}


def _problem(entry, locator: _Locator, kind: Kind, single: bool, declared: _Declared | None = None) -> InputProblem:
    text = entry.message or ""
    named = _ELEMENT.search(text)
    element = locator.at(entry.line, named.group("tag") if named else None)
    missing = "Missing child element" in text
    expected = _EXPECTED.search(text)
    names = [name.strip() for name in expected.group("names").split(",")] if expected else []
    attribute = named.group("attr") if named else None
    required_attribute = _REQUIRED_ATTRIBUTE.search(text)
    if required_attribute:
        attribute = required_attribute.group("attr")
    if not missing and names and "This element is not expected" in text:
        absent = _absent_before(element, names, declared)
        if absent is not None and element is not None:  # name the missing child, not the sibling lxml tripped on
            element, missing, names = element.getparent(), True, [absent]
    message_path, xsd_path = _position(element)
    choice = ""
    if missing and names:
        child = declared.required_among(element, names) if declared is not None else None
        if child is None:
            child = next((name for name in names if name not in _OPTIONAL_FIRST), names[0])
            choice = f" (one of {', '.join(names)})" if len(names) > 1 else ""
        xsd_path = f"{xsd_path}/{child}" if xsd_path else child
    elif attribute:
        xsd_path = f"{xsd_path}@{attribute}"
    message = _describe(text, missing, expected) + choice
    if message_path is None:  # the envelope itself: nothing the input can name more precisely
        return InputProblem("msg.body" if single else "msg.body.messages", message)
    base = "msg.body" if single else f"msg.body.messages[{message_path}]"
    field = _field(kind, xsd_path)
    return InputProblem(f"{base}.{field}" if field else base, message)


def _absent_before(element: etree._Element | None, names: list[str], declared: _Declared | None) -> str | None:
    """A declared child, written in the XSD's order and not repeated, is "not expected" only because
    a required child before it is missing: that child's name (None: the element itself is wrong)."""
    if declared is None or element is None or element.tag in names:
        return None
    if next(element.itersiblings(element.tag, preceding=True), None) is not None:
        return None  # one too many of a repeated element
    parent = element.getparent()
    return declared.required_among(parent, names) if declared.knows(parent, element.tag) else None


def _position(element: etree._Element | None) -> tuple[int | None, str]:
    """(message index, XSD path below the payload element with [j] for repeated children)."""
    steps: list[str] = []
    while element is not None and element.tag != "Message":
        steps.append(element.tag if isinstance(element.tag, str) else "")
        if element.tag == "Relation" or _repeated(element):  # an input array: name the item
            steps[-1] = f"{element.tag}[{sum(1 for _ in element.itersiblings(element.tag, preceding=True))}]"
        element = element.getparent()
    if element is None:
        return None, ""
    message_id = element.findtext("MessageID")
    index = int(message_id) - 1 if message_id and message_id.isdigit() else None
    steps.reverse()
    if steps and steps[0] in ("MessageID", "OperationType"):
        return index, steps[0]
    return index, "/".join(steps[1:])  # drop the payload element itself (<Inventory>)


def _repeated(element: etree._Element) -> bool:
    """True for an element written more than once in a row (BulletPoint, SearchTerms...)."""
    if not isinstance(element.tag, str) or element.getparent() is None:
        return False
    return next(element.itersiblings(element.tag, preceding=True), None) is not None or next(
        element.itersiblings(element.tag), None) is not None


def _field(kind: Kind, xsd_path: str) -> str:
    """Map an XSD path such as `Relation[2]/SKU` or `Sale/SalePrice@currency` to the input key."""
    indexes = re.findall(r"\[(\d+)\]", xsd_path)
    generic = re.sub(r"\[\d+\]", "", xsd_path)
    field = kind.fields.get(generic)
    if field is None:  # input keys are the XSD's names: the path is the field, [j] included
        return xsd_path.replace("/", ".").replace("@", ".")
    for index in indexes:
        field = field.replace("[]", f"[{index}]", 1)
    return field.replace("[]", "")


def _describe(text: str, missing: bool, expected: re.Match | None) -> str:
    """A message built from the error's kind, never from the submitted value."""
    if missing:
        return "is required by Amazon's feed schema"
    if "This element is not expected" in text:
        if expected:
            return f"is not allowed here; Amazon's feed schema expects {expected.group('names')}"
        return "is not allowed by Amazon's feed schema"
    facet = _FACET.search(text)
    if facet:
        return _FACET_TEXT.get(facet.group("facet"), f"violates the XSD facet {facet.group('facet')}")
    atomic = _ATOMIC.search(text)
    if atomic:
        return f"is not a valid {atomic.group('type')}"
    if "attribute" in text and "is required" in text:
        return "is required by Amazon's feed schema"
    return "is not valid according to Amazon's feed schema"
