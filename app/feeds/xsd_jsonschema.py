"""JSON Schema (Draft 2020-12) of an XSD element's input, generated at run time from the XsdModel.

Mapping, so that what the schema describes is what product.py writes:
- a simple element -> its type: string/number/integer/boolean, enumerations as `enum`, lengths,
  numeric bounds, dates as strings with `format`;
- a repeated element (maxOccurs > 1) -> an array of its items, `maxItems` = maxOccurs;
- an element with children -> an object, properties in the XSD's order, `required` as a list (never
  draft-3 `"required": true`), a required xs:choice as `anyOf` of its branches' required names;
- a value with attributes (LengthDimension, CurrencyAmount...) -> {"value": 2.5, "unitOfMeasure": "KG"}.

XSD patterns are implicitly anchored and may use classes Python's `re` lacks (\\p{IsBasicLatin}, XSD's
own \\w, \\i, \\c, class subtraction): translatable ones are anchored, the rest are left out (the
envelope's XSD validation before submission still checks them). totalDigits/fractionDigits are left
to that validation too. Schemas are fully inlined (no $ref): the metadata route serves them as is.
"""
from __future__ import annotations

import re
from typing import Any

from .xsd_model import Decl, ElementType, Group, SimpleRef, XsdModel, _xs

_BUILTINS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "normalizedString": {"type": "string"},
    "token": {"type": "string"},
    "anyURI": {"type": "string", "format": "uri"},
    "boolean": {"type": "boolean"},
    "decimal": {"type": "number"},
    "float": {"type": "number"},
    "double": {"type": "number"},
    "integer": {"type": "integer"},
    "int": {"type": "integer"},
    "long": {"type": "integer"},
    "positiveInteger": {"type": "integer", "minimum": 1},
    "nonNegativeInteger": {"type": "integer", "minimum": 0},
    "date": {"type": "string", "format": "date"},
    "dateTime": {"type": "string", "format": "date-time"},
    "time": {"type": "string", "format": "time"},
    "gYearMonth": {"type": "string", "pattern": r"^-?\d{4,}-\d{2}$"},
}
_NUMERIC = {"number", "integer"}
_UNTRANSLATABLE = re.compile(r"\\[pPiIcCwW]|-\[|(?<!\\)\$|(?<![\\\[])\^")
MAX_DEPTH = 20  # Amazon's product types nest about 6 deep; a cycle stops here
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|_|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")


def human_title(name: str) -> str:
    """An XSD element name as a person reads it: "ItemPackageQuantity" -> "Item package quantity";
    acronyms stay ("MSRPWithTax" -> "MSRP with tax", "CPSIAWarning" -> "CPSIA warning")."""
    words = _WORDS.findall(name)
    if not words:
        return name
    shaped = [w if (w.isupper() and len(w) > 1) or n == 0 else w.lower() for n, w in enumerate(words)]
    shaped[0] = shaped[0][:1].upper() + shaped[0][1:]
    out = shaped[0]
    for word in shaped[1:]:
        out += word if word.isdigit() else " " + word  # PT1, Bullet5: the number belongs to its word
    return out


def element_schema(model: XsdModel, decl: Decl, *, depth: int = 0) -> dict[str, Any]:
    """The schema of one element's value (an array when the element repeats is added by the parent)."""
    schema = type_schema(model, decl.type, depth=depth)
    return {"title": human_title(decl.name), **schema}


def type_schema(model: XsdModel, etype: ElementType, *, depth: int = 0) -> dict[str, Any]:
    if etype.content is None and not etype.attributes:
        return simple_schema(model, etype.simple or SimpleRef(builtin="string"))
    properties: dict[str, Any] = {}
    required: list[str] = []
    if etype.content is None:  # simpleContent: the text is "value", attributes beside it
        properties["value"] = simple_schema(model, etype.simple or SimpleRef(builtin="string"))
        required.append("value")
    elif depth < MAX_DEPTH:
        for name, (child, repeated) in etype.children.items():
            item = element_schema(model, child, depth=depth + 1)
            if repeated:
                item = {"type": "array", "title": human_title(name), "items": item}
                if child.max is not None:
                    item["maxItems"] = child.max
                if child.min > 1:
                    item["minItems"] = child.min
            properties[name] = item
    for attribute in etype.attributes:
        properties[attribute.name] = {"title": human_title(attribute.name), **simple_schema(model, attribute.type)}
        if attribute.required:
            required.append(attribute.name)
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    choices: list[dict[str, Any]] = []
    if etype.content is not None and depth < MAX_DEPTH:
        required += _required(etype.content, choices)
    if required:
        schema["required"] = required
    if len(choices) == 1:
        schema["anyOf"] = choices[0]["anyOf"]
    elif choices:
        schema["allOf"] = choices
    return schema


def required_names(etype: ElementType) -> list[str]:
    """The child elements `etype` always requires (a required choice's branches are not among them)."""
    return _required(etype.content, []) if etype.content is not None else []


def _required(group: Group, choices: list[dict[str, Any]]) -> list[str]:
    """Names a present `group` requires; each required choice is added to `choices` as an anyOf."""
    if group.min < 1:
        return []
    if group.kind == "choice":
        branches = []
        for item in group.items:
            needed = [item.name] if isinstance(item, Decl) and item.min >= 1 else (
                _required(item, []) if isinstance(item, Group) else [])
            if not needed:
                return []  # an empty branch satisfies the choice: nothing is required
            branches.append({"required": needed})
        if branches:
            choices.append({"anyOf": branches})
        return []
    names: list[str] = []
    for item in group.items:
        if isinstance(item, Group):
            names += _required(item, choices)
        elif item.min >= 1 and item.name not in names:
            names.append(item.name)
    return names


def simple_schema(model: XsdModel, ref: SimpleRef, *, _depth: int = 0) -> dict[str, Any]:
    if ref.builtin is not None:
        return dict(_BUILTINS.get(ref.builtin, {"type": "string"}))
    if _depth > 50:
        return {"type": "string"}
    node = ref.node
    if node is None:
        return {"type": "string"}
    union = node.find(_xs("union"))
    if union is not None:
        members = [model.simple_ref(union, name) for name in (union.get("memberTypes") or "").split()]
        members += [SimpleRef(node=inline) for inline in union.findall(_xs("simpleType"))]
        schemas = [simple_schema(model, member, _depth=_depth + 1) for member in members]
        if schemas and all("enum" in s and s.get("type") == "string" for s in schemas):
            return {"type": "string", "enum": [v for s in schemas for v in s["enum"]]}
        return {"anyOf": schemas}
    restriction = node.find(_xs("restriction"))
    if restriction is None:
        return {"type": "string"}
    base = restriction.get("base")
    base_ref = model.simple_ref(restriction, base) if base else SimpleRef(node=restriction.find(_xs("simpleType")))
    schema = simple_schema(model, base_ref, _depth=_depth + 1)
    _apply_facets(schema, restriction)
    return schema


def _apply_facets(schema: dict[str, Any], restriction) -> None:
    numeric = schema.get("type") in _NUMERIC
    enum = [e.get("value") for e in restriction.findall(_xs("enumeration"))]
    if enum:
        schema["enum"] = [_number(v, schema["type"]) for v in enum] if numeric else enum
        for key in ("pattern", "minLength", "maxLength", "format"):
            schema.pop(key, None)  # the values say it all
        return
    lengths: tuple[tuple[str, str | None], ...] = (("minLength", "minLength"), ("maxLength", "maxLength"), ("length", None))
    for facet, target in lengths:
        for node in restriction.findall(_xs(facet)):
            if schema.get("type") != "string":
                continue
            value = int(node.get("value"))
            if target is None:
                schema["minLength"] = schema["maxLength"] = value
            else:
                schema[target] = value
    if numeric:
        for facet, key in (("minInclusive", "minimum"), ("maxInclusive", "maximum"),
                           ("minExclusive", "exclusiveMinimum"), ("maxExclusive", "exclusiveMaximum")):
            node = restriction.find(_xs(facet))
            if node is not None:
                schema[key] = _number(node.get("value"), schema["type"])
    patterns = [p.get("value") for p in restriction.findall(_xs("pattern"))]
    if patterns:
        translated = translate_pattern("|".join(f"(?:{p})" for p in patterns))  # facets of one step: OR
        if translated is not None:
            if "pattern" in schema:  # a derived type's pattern adds to its base's (AND)
                schema.setdefault("allOf", []).append({"pattern": translated})
            else:
                schema["pattern"] = translated


def translate_pattern(pattern: str) -> str | None:
    """An XSD pattern as an anchored Python/ECMA regex, or None when it cannot be said faithfully."""
    if _UNTRANSLATABLE.search(pattern):
        return None
    anchored = f"^(?:{pattern})$"
    try:
        re.compile(anchored)
    except re.error:
        return None
    return anchored


def _number(value: str, kind: str) -> int | float | str:
    try:
        return int(value) if kind == "integer" else float(value)
    except ValueError:
        return value
