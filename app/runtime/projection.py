"""The builder projection: a schema as a flow builder's form renders it (contract §2, "Metadata is
served as a flow builder renders it"). Validation keeps the full schemas; `/…/metadata` serves this.

What the projection makes of a fully inlined schema:
- a root `{"type": "object", "properties": {...}}`, always;
- a one-item-or-batch input (`if: {required: [messages]}` then a `messages` array, else the item) as
  the item's fields at the root plus an optional `messages` array of the same items, titled as the
  alternative;
- `"required": true` on each required property beside the `required` lists (on objects the list says
  it: one key cannot be both);
- no `$`-keys, no `if`/`then`/`else`, `dependentRequired`, `dependentSchemas`, `not` or `const`
  (`const` becomes a one-value `enum`), `allOf` merged, unions (`anyOf`, `oneOf`, type lists)
  collapsed to their first usable branch; every property typed;
- the rules the dropped keywords carried, said in the fields' descriptions in plain words.
"""
from __future__ import annotations

import copy
from typing import Any

DROPPED = ("if", "then", "else", "dependentRequired", "dependentSchemas", "not", "const")
_SCALARS = ("string", "integer", "number", "boolean")


def project(schema: Any) -> dict[str, Any]:
    """The builder projection of a fully inlined schema (no `$ref` left)."""
    node = copy.deepcopy(schema) if isinstance(schema, dict) else {}
    node = _batch(node) or node
    out = _node(node)
    if out.get("type") != "object" or not isinstance(out.get("properties"), dict):
        out = {"type": "object", "title": out.get("title", ""), "properties": {}, **(
            {"description": out["description"]} if out.get("description") else {})}
    return out


def _batch(node: dict[str, Any]) -> dict[str, Any] | None:
    """One item or {"messages": [items]}: the item's fields at the root plus the optional array."""
    cond, then, other = node.get("if"), node.get("then"), node.get("else")
    if not (isinstance(cond, dict) and cond.get("required") == ["messages"] and isinstance(then, dict)
            and isinstance(other, dict)):
        return None
    messages = (then.get("properties") or {}).get("messages")
    if not isinstance(messages, dict):
        return None
    item = _node(other)
    required = list(item.get("required") or [])
    properties: dict[str, Any] = {}
    for name, prop in (item.get("properties") or {}).items():
        prop = dict(prop)
        prop.pop("required", None) if prop.get("required") is True else None
        if name in required:
            prop["description"] = _join(prop.get("description"), "Required for one item (not with Messages).")
        properties[name] = prop
    batch = _node(messages)
    batch["title"] = "Messages (instead of the fields above: several items in one feed)"
    batch["description"] = _join(messages.get("description"),
                                 "Give either the fields above for one item, or this list for several.")
    batch.pop("required", None)
    properties["messages"] = batch
    root = {k: v for k, v in node.items() if k not in ("if", "then", "else")}
    root.update(type="object", properties=properties)
    root.pop("required", None)
    root["description"] = _join(node.get("description"), None)
    if root["description"] is None:
        root.pop("description")
    return _strip(root)


def _strip(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if not k.startswith("$") and k not in DROPPED}


def _join(first: str | None, second: str | None) -> str | None:
    parts = [p.strip() for p in (first, second) if p and p.strip()]
    if len(parts) == 2 and parts[0][-1] not in ".!?:;":
        parts[0] += "."
    return " ".join(parts) if parts else None


def _node(schema: Any) -> dict[str, Any]:
    """One schema node, projected (recursively)."""
    if not isinstance(schema, dict):
        return {"type": "string"}
    node = dict(schema)
    for part in node.pop("allOf", None) or []:
        if isinstance(part, dict):
            _merge(node, part)
    union = node.pop("anyOf", None) or node.pop("oneOf", None)
    if union:
        node = _collapse(node, [b for b in union if isinstance(b, dict)])
    notes = _rules(node)
    if "const" in node:
        node.setdefault("enum", [node["const"]])
    node = _strip(node)
    node["type"] = _type(node)
    if node["type"] == "object":
        required = [r for r in node.get("required") or [] if isinstance(r, str)]
        properties = {}
        for name, prop in (node.get("properties") or {}).items():
            projected = _node(prop)
            if name in notes:
                projected["description"] = _join(projected.get("description"), notes[name])
            if name in required and projected.get("type") != "object":
                projected["required"] = True
            properties[name] = projected
        node["properties"] = properties
        if required:
            node["required"] = required
        else:
            node.pop("required", None)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            node["additionalProperties"] = _node(extra)
    elif node["type"] == "array":
        node["items"] = _node(node.get("items") if isinstance(node.get("items"), dict) else {})
        node.pop("required", None)
    else:
        node.pop("required", None)
        node.pop("properties", None)
    return node


def _merge(node: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if key == "properties" and isinstance(value, dict):
            node.setdefault("properties", {})
            node["properties"] = {**value, **node["properties"]}
        elif key == "required" and isinstance(value, list):
            node["required"] = list(dict.fromkeys([*(node.get("required") or []), *value]))
        else:
            node.setdefault(key, value)


def _collapse(node: dict[str, Any], branches: list[dict[str, Any]]) -> dict[str, Any]:
    """A union as one schema: object branches merged, else the first branch that has a type."""
    objects = [b for b in branches if _type(_strip(dict(b))) == "object" and b.get("properties")]
    if objects and len(objects) == len(branches):
        merged: dict[str, Any] = {"type": "object", "properties": {}}
        for branch in objects:
            merged["properties"].update(branch.get("properties") or {})
        titles = [str(b["title"]) for b in branches if b.get("title")]
        if titles:
            node["description"] = _join(node.get("description"), "One of: " + "; ".join(titles) + ".")
        return {**merged, **{k: v for k, v in node.items() if k not in ("type", "properties", "required")}}
    chosen = next((b for b in branches if "type" in b or "enum" in b or "properties" in b), branches[0] if branches else {})
    types = [t for b in branches for t in _types(b)]
    if len(set(types)) > 1:
        node["description"] = _join(node.get("description"), "Accepts " + " or ".join(dict.fromkeys(types)) + ".")
    for key, value in chosen.items():
        if key in ("title", "description") and key in node:
            continue
        node.setdefault(key, value)
    return node


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, list):
        return [t for t in kind if t != "null"]
    return [kind] if isinstance(kind, str) else []


def _type(node: dict[str, Any]) -> str:
    """The node's one type: its own (the first of a list), else inferred from what it holds."""
    kinds = _types(node)
    if kinds:
        if len(kinds) > 1:
            node["description"] = _join(node.get("description"), "Accepts " + " or ".join(kinds) + ".")
        return kinds[0]
    if "properties" in node or "additionalProperties" in node:
        return "object"
    if "items" in node:
        return "array"
    values = node.get("enum") or []
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "number"
    return "string"


def _rules(node: dict[str, Any]) -> dict[str, str]:
    """Plain words, per property, for the conditional rules the projection drops."""
    notes: dict[str, list[str]] = {}

    def say(name: str, text: str) -> None:
        notes.setdefault(name, [])
        if text not in notes[name]:
            notes[name].append(text)

    cond, then, other = node.get("if"), node.get("then"), node.get("else")
    if isinstance(cond, dict):
        negated = (cond.get("not") or {}).get("required") if isinstance(cond.get("not"), dict) else None
        given = cond.get("required") or []
        equals = {k: v["const"] for k, v in (cond.get("properties") or {}).items()
                  if isinstance(v, dict) and "const" in v}
        for name in (then or {}).get("required") or []:
            if negated:
                say(name, f"Required unless {', '.join(negated)} is given.")
            elif equals:
                say(name, "Required when " + ", ".join(f"{k} is {v}" for k, v in equals.items()) + ".")
            elif given:
                say(name, f"Required when {', '.join(given)} is given.")
        for name in (other or {}).get("required") or []:
            if equals:
                say(name, "Required unless " + ", ".join(f"{k} is {v}" for k, v in equals.items()) + ".")
            elif given:
                say(name, f"Required unless {', '.join(given)} is given.")
    for trigger, names in (node.get("dependentRequired") or {}).items():
        for name in names:
            say(name, f"Required when {trigger} is given.")
    for trigger, schema in (node.get("dependentSchemas") or {}).items():
        for name, prop in ((schema or {}).get("properties") or {}).items():
            if isinstance(prop, dict) and prop.get("not") == {}:
                say(name, f"Not together with {trigger}.")
                say(trigger, f"Not together with {name}.")
        for name in (schema or {}).get("required") or []:
            say(name, f"Required when {trigger} is given.")
    # "Required unless Available is given." + "Not together with Available." says: one of the two.
    for name, said in list(notes.items()):
        unless = [t for t in said if t.startswith("Required unless ") and t.endswith(" is given.")]
        for text in unless:
            other_name = text[len("Required unless "):-len(" is given.")]
            if f"Not together with {other_name}." in said:
                said[:] = [f"Give {name} or {other_name}, not both."]
                notes[other_name] = [f"Give {name} or {other_name}, not both."]
    return {name: " ".join(said) for name, said in notes.items()}
