"""A request body as the routes take it: a JSON object that nothing later can choke on.

`parse_json_body(raw)` answers InputInvalid (422) for what would otherwise fail deep inside the
service, naming the offending value's path (`cfg.sellerId`, `msg.body.messages[3].SKU`):
- not UTF-8, not JSON, NaN/Infinity, an integer past Python's digit limit, not an object: `body`;
- nested deeper than MAX_DEPTH objects and arrays: `body` (the parser and every recursive walk
  after it — schema validation, XML building, encoding — would otherwise hit Python's recursion limit);
- a number too large for a float (1e999 reads as infinity, which no JSON answer can carry);
- a string or key holding a lone surrogate (`\\ud800`: no UTF-8 encoding exists, so neither an answer
  nor an XML feed could carry it), U+FFFE/U+FFFF, or a C0 control character other than tab, line
  feed and carriage return (NUL and its kind are illegal in XML and in Amazon's fields).
Messages never repeat the value. Strings are scanned only when the text has an escape that can
produce such a character (raw control characters are invalid JSON already), so a large clean body
costs one regular-expression pass and one walk over its containers.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from app.runtime.errors import InputInvalid, InputProblem
from app.runtime.validation import join_path

MAX_DEPTH = 64
MAX_PROBLEMS = 50  # InputInvalid lists at most this many; looking further would only cost time

# What may yield a bad character: an escape of a C0 control (\u0000-\u001f), a surrogate half
# (\ud800-\udfff) or U+FFFE/U+FFFF, or those two themselves (raw controls are invalid JSON already).
_RISKY_ESCAPE = re.compile(r"\\u(?:00[01]|[dD][89a-fA-F]|[fF]{3}[eEfF])")
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_JSON = "must be valid JSON"
_TOO_DEEP = f"is nested too deeply: at most {MAX_DEPTH} levels of objects and arrays"


def parse_json_body(raw: bytes) -> dict[str, Any]:
    """The body as a dict; InputInvalid with the problems found (at most MAX_PROBLEMS)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid("body", "must be valid JSON in UTF-8") from None
    infinite: list[str] = []

    def parse_float(literal: str) -> float:
        value = float(literal)
        if math.isinf(value):
            infinite.append(literal)
        return value

    try:
        body = json.loads(text, parse_constant=_no_constant, parse_float=parse_float)
    except RecursionError:
        raise _invalid("body", _TOO_DEEP) from None
    except ValueError:  # JSONDecodeError, NaN/Infinity, an integer with thousands of digits
        raise _invalid("body", _NOT_JSON) from None
    if not isinstance(body, dict):
        raise _invalid("body", "must be a JSON object")
    scan_strings = _risky(text)
    # The walk is skipped when it cannot find anything: few brackets (so no depth), no infinity, no risky text.
    if scan_strings or infinite or text.count("[") + text.count("{") > MAX_DEPTH:
        problems = _walk(body, scan_strings=scan_strings)
        if problems:
            raise InputInvalid(problems)
    return body


def _risky(text: str) -> bool:
    """Whether `text` may hold a bad character (a fast `in` before the slower regular expression)."""
    return ("\\u" in text and _RISKY_ESCAPE.search(text) is not None) or "\ufffe" in text or "\uffff" in text


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _invalid(path: str, message: str) -> InputInvalid:
    return InputInvalid([InputProblem(path, message)])


def _walk(body: dict[str, Any], *, scan_strings: bool) -> list[InputProblem]:
    """Depth, non-finite numbers and (when asked) bad characters, without recursion."""
    problems: list[InputProblem] = []
    stack: list[tuple[Any, tuple[Any, ...], int]] = [(body, (), 1)]
    while stack and len(problems) < MAX_PROBLEMS:
        container, parts, depth = stack.pop()
        items = container.items() if type(container) is dict else enumerate(container)
        for key, value in items:
            if scan_strings and type(key) is str and _BAD_CHARACTER.search(key):
                problems.append(InputProblem(join_path("", parts) or "body", f"has a property name containing {_what(key)}"))
            kind = type(value)
            if kind is dict or kind is list:
                if depth >= MAX_DEPTH:
                    return [InputProblem("body", _TOO_DEEP)]
                stack.append((value, parts + (key,), depth + 1))
            elif kind is str:
                if scan_strings and _BAD_CHARACTER.search(value):
                    problems.append(InputProblem(join_path("", parts + (key,)), f"must not contain {_what(value)}"))
            elif kind is float and not math.isfinite(value):
                problems.append(InputProblem(join_path("", parts + (key,)), "is too large a number"))
    problems.sort(key=lambda p: p.path)  # the stack visits the last member first
    return problems[:MAX_PROBLEMS]


def _what(text: str) -> str:
    """What is wrong with `text`, without repeating it."""
    found = _BAD_CHARACTER.search(text)
    assert found is not None, "called only for text the pattern matched"
    bad = found.group()
    if "\ud800" <= bad <= "\udfff":
        return "a lone surrogate (half of a UTF-16 pair, U+D800 to U+DFFF), which UTF-8 cannot encode"
    if bad in "\ufffe\uffff":
        return "U+FFFE or U+FFFF, which are not characters (XML forbids them)"
    return "NUL or another control character (only tab, line feed and carriage return are allowed)"
