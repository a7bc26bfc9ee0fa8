"""A minimal valid instance of a generated JSON Schema: the required properties, each with a valid
value for its type, enum, pattern and bounds (the first branch of a required choice)."""
from __future__ import annotations

import re
from typing import Any


def minimal(schema: dict[str, Any]) -> Any:
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema and "type" not in schema:
        return minimal(schema["anyOf"][0])
    kind = schema.get("type")
    if kind == "object":
        required = list(schema.get("required", []))
        for part in [schema, *schema.get("allOf", [])]:
            if "anyOf" in part:
                required += part["anyOf"][0].get("required", [])
        return {name: minimal(schema["properties"][name]) for name in dict.fromkeys(required)}
    if kind == "array":
        return [minimal(schema["items"]) for _ in range(max(1, schema.get("minItems", 1)))]
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        value = schema.get("minimum", schema["exclusiveMinimum"] + 1 if "exclusiveMinimum" in schema else 1)
        return min(value, schema.get("maximum", value))
    if schema.get("format") == "date":
        return "2026-01-15"
    if schema.get("format") == "date-time":
        return "2026-01-15T10:00:00Z"
    if "pattern" in schema:
        value = from_pattern(schema["pattern"])
        assert re.search(schema["pattern"], value), (schema["pattern"], value)
        return value
    return "x" * max(1, schema.get("minLength", 1))


def from_pattern(pattern: str) -> str:
    """The shortest string of a simple regex: first alternative, least repetitions, first class member."""
    pattern = pattern.removeprefix("^").removesuffix("$")
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "(":
            depth, j = 1, i + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(pattern[j], 0)
                j += 1
            inner = pattern[i + 1:j - 1].removeprefix("?:")
            atom, i = from_pattern(_first_alternative(inner)), j
        elif c == "|":
            break
        elif c == "[":
            j = pattern.index("]", i + 2)
            members = pattern[i + 1:j]
            atom, i = ("a" if members.startswith("^") else members[0]), j + 1
        elif c == "\\":
            atom, i = {"d": "1", "w": "a", "s": " "}.get(pattern[i + 1], pattern[i + 1]), i + 2
        else:
            atom, i = c, i + 1
        count = 1
        if i < len(pattern) and pattern[i] in "*?+{":
            if pattern[i] == "{":
                j = pattern.index("}", i)
                count, i = int(pattern[i + 1:j].split(",")[0]), j + 1
            else:
                count, i = (1 if pattern[i] == "+" else 0), i + 1
        out.append(atom * count)
    return "".join(out)


def _first_alternative(pattern: str) -> str:
    depth = 0
    for i, c in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "|" and depth == 0:
            return pattern[:i]
    return pattern
