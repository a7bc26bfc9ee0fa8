"""MWS XML to JSON-ready dicts: hardened lxml, namespace-agnostic, shaped by the model.

- Keys are Amazon's names in lowerCamelCase (`lower_camel`).
- Which elements are lists comes from the model (`Shape`), never from how many arrived:
  `<Orders><Order/></Orders>` is `{"orders": [{...}]}` and `<Orders/>` is `{"orders": []}`.
- Typed leaves (booleans, integers) become JSON booleans and numbers; everything else is a string.
- The parser refuses DTDs and entity declarations, never touches the network or files, and has a
  size cap: a response is data from the outside. libxml2 without huge_tree refuses nesting deeper
  than 256 levels, which also bounds the conversion's recursion.

How it is fast (bench/parse.py: a 100-order page, ~3,500 elements): lxml parses in C, then one
recursive walk over the tree does all the Python work. A page has only a few dozen distinct tags, so
everything known about a tag (its key, and whether it is a list wrapper, repeats, or is a boolean or
integer leaf) is worked out once per shape and tag and then read from a dict; plain leaves are read
inline, without a call, and attribute work is skipped for elements without attributes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from lxml import etree

from app.mws.errors import MalformedResponse
from app.mws.operations import Shape

MAX_XML_BYTES = 16 * 1024 * 1024  # an Orders page of 100 orders is a few hundred KB
_LEADING_CAPITALS = re.compile(r"[A-Z]+")
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"  # xsi:type, xsi:nil ... are not data
_ONE, _LIST, _REPEATED = range(3)  # how an element sits in its parent: a value, a list wrapper, repeats
_BOOL, _INT = 1, 2  # how its text is typed (flags; 0 is a plain string)
_MAX_TAGS = 4096  # per shape: a hostile body with endless new tags must not grow the memo forever


def lower_camel(name: str) -> str:
    """AmazonOrderId→amazonOrderId, ASIN→asin, CODFee→codFee, SellerSKU→sellerSKU, MessageID→messageID."""
    m = _LEADING_CAPITALS.match(name)
    if not m:
        return name
    run, rest = m.group(), name[m.end():]
    if len(run) > 1 and rest[:1].islower():
        # The last capital starts the next word: CODFee is COD + Fee.
        return run[:-1].lower() + run[-1] + rest
    return run.lower() + rest


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_document(body: bytes, *, limit: int = MAX_XML_BYTES) -> etree._Element:
    """The root element of `body`, or MalformedResponse (too big, DTD/entities, not well-formed)."""
    if len(body) > limit:
        raise MalformedResponse(f"response body of {len(body)} bytes exceeds the {limit}-byte limit",
                                retriable=False)
    # Both declarations start with "<!"; a one-byte search spares most bodies lower-casing 100s of KB.
    if b"!" in body and (b"<!doctype" in body[:4096].lower() or b"<!entity" in body.lower()):
        raise MalformedResponse("response refused: it declares a DTD or entities", retriable=False)
    if not body.strip():
        raise MalformedResponse("response body is empty")
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedResponse(f"response is not well-formed XML: {exc.msg}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        # Also catches declarations the byte scan cannot see (e.g. a UTF-16 document).
        raise MalformedResponse("response refused: it declares a DTD or entities", retriable=False)
    return root


def local(el: etree._Element) -> str:
    return el.tag.rpartition("}")[2]


def _elements(el: etree._Element) -> list[etree._Element]:
    # Entity references (left unresolved) and other non-element nodes are skipped.
    return [c for c in el if isinstance(c.tag, str)]


def _attributes(el: etree._Element) -> dict[str, str]:
    return {lower_camel(k.rpartition("}")[2]): v for k, v in el.items() if not k.startswith(_XSI)}


TagInfo = tuple[str, str, int, "str | None", int]  # local name, key, placement, wrapper's item, type


def _converter(shape: Shape) -> tuple[Callable[[etree._Element, int], Any], Callable[[Any], TagInfo | None]]:
    """`convert(el, typed)`: one element as JSON; `info(tag)`: what the shape says about a tag (memoized)."""
    tags: dict[Any, TagInfo] = {}
    known = tags.get

    def info(tag: Any) -> TagInfo | None:
        if not isinstance(tag, str):
            return None  # a comment, processing instruction or entity reference
        name = tag.rpartition("}")[2]
        placement = _LIST if name in shape.lists else _REPEATED if name in shape.repeated else _ONE
        typed = (_BOOL if shape.is_boolean(name) else 0) | (_INT if name in shape.integers else 0)
        found = (name, lower_camel(name), placement, shape.lists.get(name), typed)
        if len(tags) < _MAX_TAGS:
            tags[tag] = found
        return found

    def convert(el: etree._Element, typed: int) -> Any:
        """An object for elements with child elements or attributes, else the (typed) text."""
        out: dict[str, Any] | None = None
        for child in el if len(el) else ():
            child_info = known(child.tag) or info(child.tag)
            if child_info is None:
                continue
            if out is None:
                out = dict(_attributes(el)) if el.keys() else {}
            _, key, placement, item, child_typed = child_info
            if placement == _LIST:
                # Only the declared items; a wrapper's own attributes and text are not data.
                out[key] = [convert(c, i[4]) for c in child
                            if (i := known(c.tag) or info(c.tag)) is not None and i[0] == item]
                continue
            if not child_typed and not len(child) and not child.keys():
                text = child.text  # the common case, inline: a plain leaf is its trimmed text
                value: Any = text.strip() if text else ""
            else:
                value = convert(child, child_typed)
            prev = out.get(key)
            if prev is None:
                out[key] = [value] if placement == _REPEATED else value
            elif placement == _REPEATED and type(prev) is list:
                prev.append(value)
            else:
                # Not declared as repeating but repeated anyway: keep every value rather than lose one.
                out[key] = (prev if isinstance(prev, list) else [prev]) + [value]
        if out is not None:
            return out
        text = el.text
        value = text.strip() if text else ""
        if typed & _BOOL and value.lower() in ("true", "false"):
            value = value.lower() == "true"
        elif typed & _INT:
            try:
                value = int(value)
            except ValueError:
                pass
        attrs = _attributes(el) if el.keys() else None
        if not attrs:
            return value
        # <StandardPrice currency="USD">9.99</StandardPrice> → {"value": "9.99", "currency": "USD"}
        return {"value": value, **attrs} if value != "" else attrs

    return convert, info


_CONVERTERS: dict[int, tuple[Shape, Any]] = {}  # id(shape) -> (shape, converter); the shape kept alive


def _for(shape: Shape) -> tuple[Callable[[etree._Element, int], Any], Callable[[Any], TagInfo | None]]:
    cached = _CONVERTERS.get(id(shape))
    if cached is None or cached[0] is not shape:
        if len(_CONVERTERS) >= 64:  # operations' shapes are long-lived; ad-hoc ones must not pile up
            _CONVERTERS.clear()
        cached = _CONVERTERS[id(shape)] = (shape, _converter(shape))
    return cached[1]


def to_data(el: etree._Element, shape: Shape, extra_lists: tuple[str, ...] = ()) -> Any:
    """One element as JSON: an object for elements with children or attributes, else a value."""
    convert, info = _for(shape)
    own = info(el.tag)
    out = convert(el, own[4] if own is not None else 0)
    if extra_lists and isinstance(out, dict) and any(isinstance(c.tag, str) for c in el):
        for cname in extra_lists:
            out.setdefault(lower_camel(cname), [])
    return out


def _as_object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def find_child(el: etree._Element, name: str) -> etree._Element | None:
    for child in _elements(el):
        if local(child) == name:
            return child
    return None


def request_id_of(root: etree._Element) -> str | None:
    """`ResponseMetadata/RequestId`, or `RequestId`/`RequestID` directly under the root."""
    meta = find_child(root, "ResponseMetadata")
    for holder in (meta, root):
        if holder is None:
            continue
        for name in ("RequestId", "RequestID"):
            found = find_child(holder, name)
            if found is not None and (found.text or "").strip():
                return found.text.strip()
    return None


def parse_result(body: bytes, result: str, shape: Shape, result_lists: tuple[str, ...] = ()
                 ) -> tuple[dict[str, Any], str | None]:
    """The `<result>` element of a response as a dict, and the response's request id."""
    root = parse_document(body)
    element = find_child(root, result)
    if element is None:
        raise MalformedResponse(f"response has no {result} element (root is {local(root)})")
    return _as_object(to_data(element, shape, result_lists)), request_id_of(root)


@dataclass(frozen=True)
class ErrorInfo:
    code: str | None
    message: str | None
    type: str | None  # "" for an empty <Type/>, None when there is no Type element
    request_id: str | None


def parse_error(body: bytes) -> ErrorInfo | None:
    """Amazon's ErrorResponse (any namespace, RequestId or RequestID, maybe an empty <Type/>), or None."""
    try:
        root = parse_document(body)
    except MalformedResponse:
        return None
    if local(root) != "ErrorResponse":
        return None
    error = find_child(root, "Error")

    def text(name: str) -> str | None:
        found = find_child(error, name) if error is not None else None
        value = (found.text or "").strip() if found is not None else ""
        return value or None

    # An empty <Type/> (throttles, QuotaExceeded) is Amazon's own answer: "" is kept, only a
    # missing element is None (contract §3: the type is Amazon's).
    type_element = find_child(error, "Type") if error is not None else None
    error_type = (type_element.text or "").strip() if type_element is not None else None
    return ErrorInfo(code=text("Code"), message=text("Message"), type=error_type,
                     request_id=request_id_of(root))
