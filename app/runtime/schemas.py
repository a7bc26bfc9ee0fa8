"""JSON Schemas from files: loaded once, `$ref`s resolved with `referencing`, Draft 2020-12.

Schemas live under the component's `schemas/` and refer to each other by relative file refs
("../common/order.json") and to their own `#/$defs/...`. A file's base URI is its `file:` URI, so
relative refs resolve against the referring file. Only `file:` URIs are retrieved: a schema never
makes the service fetch anything over the network.

`inline()` returns a schema with every `$ref` replaced by its target, for the metadata routes (the
platform's mapper does not follow external refs).
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT202012

# Keywords whose value is one schema, a map of name -> schema, or a list of schemas. Everything else
# (enum, const, default, examples...) is data and is copied untouched, even if it holds a "$ref" key.
_ONE = {"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema"}
_MAP = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
_LIST = {"allOf", "anyOf", "oneOf", "prefixItems"}


class SchemaError(Exception):
    """A schema file is missing, is not JSON, or has a `$ref` that does not resolve."""


class SchemaStore:
    """Every schema file of one component, read at most once."""

    def __init__(self) -> None:
        self._files: dict[str, Any] = {}
        self._validators: dict[int, tuple[Any, Draft202012Validator]] = {}
        self._lock = threading.Lock()
        self.registry: Registry = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]

    def load(self, path: Path) -> Any:
        """The parsed file, with `$id` set to its URI so relative refs resolve against it."""
        uri = path.resolve().as_uri()
        contents = self._read(uri)
        if isinstance(contents, dict) and "$id" not in contents:
            contents = {"$id": uri, **contents}
        return contents

    def validator(self, schema: Any) -> Draft202012Validator:
        """A validator for `schema`, made once per schema object (schemas here are loaded once)."""
        key = id(schema)
        cached = self._validators.get(key)
        if cached is None or cached[0] is not schema:
            cached = (schema, Draft202012Validator(schema, registry=self.registry))
            self._validators[key] = cached
        return cached[1]

    def inline(self, schema: Any, base_uri: str = "") -> Any:
        """`schema` with every `$ref` replaced by what it points at (a cycle keeps its `$ref`)."""
        resolver = self.registry.resolver(base_uri=base_uri)
        try:
            out = _inline(schema, resolver, ())
        except Unresolvable as exc:
            raise SchemaError(f"unresolvable $ref {getattr(exc, 'ref', '')!r}") from None
        if isinstance(out, dict):
            out.pop("$id", None)
            if not _has_ref(out):
                out = _strip_defs(out)
        return out

    def check(self, path: Path) -> None:
        """Raise SchemaError unless the file is a valid Draft 2020-12 schema whose refs all resolve."""
        schema = self.load(path)
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as exc:
            raise SchemaError(f"{path} is not a valid Draft 2020-12 schema: {exc}") from None
        self.inline(schema, schema.get("$id", "") if isinstance(schema, dict) else "")

    def _read(self, uri: str) -> Any:
        with self._lock:
            if uri in self._files:
                return self._files[uri]
        parts = urlsplit(uri)
        if parts.scheme != "file":
            raise SchemaError(f"only file refs are allowed, not {parts.scheme or 'relative'} {uri!r}")
        path = Path(unquote(parts.path))
        try:
            contents = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SchemaError(f"schema file {path} does not exist") from None
        except ValueError as exc:
            raise SchemaError(f"schema file {path} is not JSON: {exc}") from None
        with self._lock:
            self._files[uri] = contents
        return contents

    def _retrieve(self, uri: str) -> Resource:
        try:
            contents = self._read(uri.split("#", 1)[0])
        except SchemaError as exc:
            raise NoSuchResource(ref=uri) from exc  # type: ignore[call-arg]  # referencing's attrs class takes ref=
        return Resource.from_contents(contents, default_specification=DRAFT202012)


def _inline(node: Any, resolver, seen: tuple[int, ...]) -> Any:
    if not isinstance(node, dict):
        return node
    if "$id" in node:
        resolver = resolver.in_subresource(DRAFT202012.create_resource(node))
    out: dict[str, Any] = {}
    ref = node.get("$ref")
    if isinstance(ref, str):
        resolved = resolver.lookup(ref)
        target_key = id(resolved.contents)  # files are cached, so a target is always the same object
        if target_key in seen:
            out["$ref"] = ref
        else:
            target = _inline(resolved.contents, resolved.resolver, seen + (target_key,))
            if isinstance(target, dict):
                out.update({k: v for k, v in target.items() if k not in ("$id", "$schema")})
            elif target is False:
                return False
    for key, value in node.items():
        if key in ("$ref", "$id") or (key == "$schema" and seen):
            continue
        if key in _ONE:
            value = _inline(value, resolver, seen) if not isinstance(value, list) else [
                _inline(v, resolver, seen) for v in value]
        elif key in _MAP and isinstance(value, dict):
            value = {name: _inline(v, resolver, seen) for name, v in value.items()}
        elif key in _LIST and isinstance(value, list):
            value = [_inline(v, resolver, seen) for v in value]
        out[key] = value
    return out


def _has_ref(node: Any) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or any(_has_ref(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_ref(v) for v in node)
    return False


def _strip_defs(node: Any) -> Any:
    """Drop `$defs`/`definitions` once nothing refers to them any more."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$defs", "definitions"):
            continue
        if key in _ONE:
            value = [_strip_defs(v) for v in value] if isinstance(value, list) else _strip_defs(value)
        elif key in _MAP and isinstance(value, dict):
            value = {name: _strip_defs(v) for name, v in value.items()}
        elif key in _LIST and isinstance(value, list):
            value = [_strip_defs(v) for v in value]
        out[key] = value
    return out
