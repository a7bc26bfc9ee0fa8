"""Small helpers the payload builders share: append a text element, format values for the XSD types.

Values are turned into XSD lexical forms here (booleans as `true`/`false`, decimals without exponent)
so that every builder writes the same spelling; lxml escapes the text, nothing is string-formatted.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

SubElement = etree.SubElement


def text(value: Any) -> str:
    """The XSD lexical form of an input value (bool before int: True is an int in Python).

    A missing value becomes an empty element, which the XSD check reports under the field's name.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return decimal_text(value)
    return str(value)


def decimal_text(value: Any) -> str:
    """A price as xs:decimal: `9.99`, never `1e-05` (floats go through their shortest repr)."""
    if value is None or isinstance(value, bool):
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)  # the XSD check names it; never guess a price
    return format(number, "f")


def add(parent: etree._Element, tag: str, value: Any) -> etree._Element:
    """Append `<tag>value</tag>` to parent."""
    element = SubElement(parent, tag)
    element.text = text(value)
    return element


def add_optional(parent: etree._Element, tag: str, message: dict, key: str) -> None:
    """Append `<tag>` only when the input has `key` with a value."""
    value = message.get(key)
    if value is not None and value != "":
        add(parent, tag, value)


def add_amount(parent: etree._Element, tag: str, money: dict) -> etree._Element:
    """`<StandardPrice currency="EUR">9.99</StandardPrice>`: the currency is an attribute."""
    element = SubElement(parent, tag)
    currency = money.get("currency")
    if currency is not None:
        element.set("currency", str(currency))
    element.text = decimal_text(money.get("value"))
    return element


def parse_datetime(value: str) -> datetime | None:
    """An xs:dateTime-like input as an aware datetime (naive taken as UTC; `Z` and `+0000` accepted)."""
    text = re.sub(r"\s+(?=[+-]\d{2}:?\d{2}$)", "", value.strip())  # "...00.000 +0000"
    if "T" not in text and " " not in text:
        return None  # a bare date is not a date-time
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    elif len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"  # Python 3.11's fromisoformat rejects +0000
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def datetime_text(value) -> str:
    """A date-time in the UTC `Z` form Amazon is sent everywhere; unparseable input is left for the XSD."""
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        return text(value)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
