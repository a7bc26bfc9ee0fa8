"""Plain words for the regular expressions in the component's schemas: a 422 tells a person what to
type ("3-7-7 digits, e.g. 114-3808039-1650643"), never a regular expression. A pattern not listed
here (an XSD-generated one) is answered with the field's own description or a neutral sentence."""
from __future__ import annotations

from typing import Any

KNOWN_PATTERNS: dict[str, str] = {
    r"^\d{1,20}$": "must be 1 to 20 digits",
    r"^\d{1,16}(\.\d{1,4})?$": "must be an amount such as 12.99 (up to 4 decimals)",
    r"^[0-9]{3}-[0-9]{7}-[0-9]{7}$": "must be 3-7-7 digits, e.g. 114-3808039-1650643",
    r"^[0-9A-Za-z]{3}-[0-9A-Za-z]{7}-[0-9A-Za-z]{7}$": "must be 3-7-7 letters or digits, "
                                                        "e.g. 902-3159896-1390916",
    r"^(https?://[^\s/?#]+[^\s?#]*)?$": "must be an http(s) address such as https://sellingpartnerapi-na.amazon.com "
                                        "(no query or fragment), or empty",
    r"\S": "must not be blank",
    r"^\d{4}-\d{2}-\d{2}$": "must be a date such as 2026-12-31",
    r"^\d{14}$": "must be 14 digits",
    r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$": "must be an http(s) address, e.g. https://example.com/image.jpg",
    r"^(100|[1-9][0-9]?)$": "must be a whole number from 1 to 100",
}


def pattern_words(pattern: str, schema: Any) -> str:
    """What a value failing `pattern` should look like, in words."""
    known = KNOWN_PATTERNS.get(pattern)
    if known:
        return known
    description = schema.get("description") if isinstance(schema, dict) else None
    if isinstance(description, str) and 0 < len(description) <= 160:
        return f"is not in the expected form: {description}"
    return "is not in the expected form (see the field's description)"
