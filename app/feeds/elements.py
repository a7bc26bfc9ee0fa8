"""Small helpers the payload builders share: append a text element, format values for the XSD types.

Values are turned into XSD lexical forms here (booleans as `true`/`false`, decimals without exponent)
so that every builder writes the same spelling; lxml escapes the text, nothing is string-formatted.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from app.dates import EPOCH, DateFormatError, DateOutOfRange, parse_date, to_amazon

SubElement = etree.SubElement
_TRAILING_OFFSET = re.compile(r"\s*(?:[Zz]|[+-]\d{2}:?\d{2})$")  # what follows the time, if any


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
    """An xs:dateTime input as an aware UTC datetime (app.dates' formats), None when it is not one.

    app.dates takes a bare date as midnight UTC; an xs:dateTime needs a time, so a value without a
    `T` (or space) between date and time is refused here, as before.
    """
    if not isinstance(value, str) or not _has_time(value):
        return None
    try:
        return parse_date(value)
    except DateFormatError:
        return None


def datetime_problem(value: Any) -> str | None:
    """Why `value` is no xs:dateTime this service sends (None when it is one); never repeats it."""
    if not isinstance(value, str) or not _has_time(value):
        return "is not an ISO-8601 date-time"
    try:
        parse_date(value)
    except DateOutOfRange as exc:
        return f"is {exc}"
    except DateFormatError:
        return "is not an ISO-8601 date-time"
    return None


def date_problem(value: str) -> str | None:
    """Why `value` is no xs:date (YYYY-MM-DD) within app.dates' range; None when it is one."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return "is not a date (YYYY-MM-DD)"
    if day < EPOCH.date():  # date.fromisoformat ends at 9999-12-31 itself
        return "is out of range: dates run from 1970-01-01 to 9999-12-31"
    return None


def _has_time(value: str) -> bool:
    """Whether the text names a time of day, not just a date (`2026-01-01 +0000` is a bare date)."""
    core = _TRAILING_OFFSET.sub("", value.strip())
    return "T" in core or " " in core


def datetime_text(value) -> str:
    """A date-time in the UTC `Z` form Amazon is sent everywhere (milliseconds only when non-zero);
    unparseable input is left as given for the XSD check to name."""
    moment = parse_datetime(value)
    if moment is None:
        return text(value)
    return to_amazon(moment)

