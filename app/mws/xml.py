"""MWS XML to JSON-ready dicts: hardened lxml, namespace-agnostic, shaped by the model.

- Keys are Amazon's names in lowerCamelCase (`lower_camel`).
- Which elements are lists comes from the model (`Shape`), never from how many arrived:
  `<Orders><Order/></Orders>` is `{"orders": [{...}]}` and `<Orders/>` is `{"orders": []}`.
- Typed leaves (booleans, integers) become JSON booleans and numbers; everything else is a string.
- The parser refuses DTDs and entity declarations, never touches the network or files, and has a
  size cap: a response is data from the outside.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from app.mws.errors import MalformedResponse
from app.mws.operations import Shape

MAX_XML_BYTES = 16 * 1024 * 1024  # an Orders page of 100 orders is a few hundred KB
_LEADING_CAPITALS = re.compile(r"[A-Z]+")
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


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
    head = body[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in body.lower():
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
    return etree.QName(el).localname


def _elements(el: etree._Element) -> list[etree._Element]:
    # Entity references (left unresolved) and other non-element nodes are skipped.
    return [c for c in el if isinstance(c.tag, str)]


def _leaf(name: str, text: str | None, shape: Shape) -> Any:
    value = (text or "").strip()
    if shape.is_boolean(name) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if name in shape.integers:
        try:
            return int(value)
        except ValueError:
            return value
    return value


def to_data(el: etree._Element, shape: Shape, extra_lists: tuple[str, ...] = ()) -> Any:
    """One element as JSON: an object for elements with children or attributes, else a value."""
    name = local(el)
    attrs = {
        lower_camel(etree.QName(k).localname): v
        for k, v in el.attrib.items()
        if etree.QName(k).namespace != _XSI
    }
    children = _elements(el)
    if not children:
        value = _leaf(name, el.text, shape)
        if not attrs:
            return value
        # <StandardPrice currency="USD">9.99</StandardPrice> → {"value": "9.99", "currency": "USD"}
        return {"value": value, **attrs} if value != "" else attrs
    out: dict[str, Any] = dict(attrs)
    for child in children:
        cname = local(child)
        key = lower_camel(cname)
        if cname in shape.lists:
            item = shape.lists[cname]
            out[key] = [to_data(c, shape) for c in _elements(child) if local(c) == item]
        elif cname in shape.repeated:
            out.setdefault(key, []).append(to_data(child, shape))
        elif key in out:
            # Not declared as repeating but repeated anyway: keep every value rather than lose one.
            prev = out[key]
            out[key] = (prev if isinstance(prev, list) else [prev]) + [to_data(child, shape)]
        else:
            out[key] = to_data(child, shape)
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
    type: str | None
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

    return ErrorInfo(code=text("Code"), message=text("Message"), type=text("Type"),
                     request_id=request_id_of(root))
