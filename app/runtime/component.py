"""The component descriptor (component.json) and the steps it declares.

A step exists because component.json declares it. Its module comes from `main` (a path such as
`./app/actions/get_order.py`, imported as `app.actions.get_order`), its message schemas from the
files its `metadata` names, and its cfg schema from `schemas/credentials.json` plus
`schemas/<kind>s/<key>.cfg.json` when that file exists. Modules and schemas are loaded on first
use and kept.

A variant (a backend whose messages differ, named by the component hooks: `spapi`) may have its own
message schemas beside the default ones, `schemas/<variant>/<kind>s/<key>.{in,out}.json`; a part
without such a file is the default's.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from app.runtime.projection import project
from app.runtime.protocol import StepHooks
from app.runtime.schemas import SchemaStore
from app.settings import PROJECT_ROOT

Kind = Literal["trigger", "action"]
ANY_OBJECT: dict[str, Any] = {"type": "object"}


class StepNotFound(LookupError):
    pass


def module_name(main: str) -> str:
    """`./app/actions/get_order.py` -> `app.actions.get_order`."""
    path = main[2:] if main.startswith("./") else main
    if path.endswith(".py"):
        path = path[:-3]
    return path.strip("/").replace("/", ".")


@dataclass
class Step:
    component: "Component"
    kind: Kind
    key: str
    definition: dict[str, Any]
    _module: ModuleType | None = field(default=None, repr=False)

    @property
    def fields(self) -> dict[str, Any]:
        return self.definition.get("fields") or {}

    @property
    def dynamic(self) -> bool:
        return bool(self.definition.get("dynamicMetadata"))

    @property
    def module(self) -> ModuleType:
        """The step's module, imported once (a module outside the project is loaded from its file)."""
        if self._module is None:
            self._module = self.component.import_main(self.definition["main"])
        return self._module

    @cached_property
    def hooks(self) -> StepHooks:
        """The module seen through the step protocol (app.runtime.protocol), checked once."""
        return StepHooks.of(self.module)

    @cached_property
    def cfg_schemas(self) -> list[Any]:
        """credentials.json, then the step's own cfg schema if it has one."""
        return self.cfg_schemas_for(None)

    def cfg_schemas_for(self, variant: str | None) -> list[Any]:
        """credentials.json, then the step's cfg schema: the variant's own when it has one."""
        schemas = [self.component.credentials_schema]
        path = self.variant_path("cfg", variant) or self.component.root / "schemas" / f"{self.kind}s" / f"{self.key}.cfg.json"
        if path.exists():
            schemas.append(self.component.schemas.load(path))
        return schemas

    @cached_property
    def in_schema(self) -> Any:
        """The raw `msg.body` schema (triggers take no message)."""
        if self.kind == "trigger":
            return ANY_OBJECT
        return self._metadata_part("in")

    @cached_property
    def out_schema(self) -> Any:
        return self._metadata_part("out")

    @cached_property
    def full_metadata(self) -> dict[str, Any]:
        """{"in", "out"} with every $ref inlined: the schemas as validation reads them."""
        return {"in": self.inline(self.in_schema), "out": self.inline(self.out_schema)}

    @cached_property
    def metadata(self) -> dict[str, Any]:
        """What GET .../metadata serves: the builder projection of each part (app.runtime.projection)."""
        return project_metadata(self.kind, self.full_metadata)

    def variant_path(self, part: str, variant: str | None) -> Path | None:
        """The variant's own schema file for `part` ("in"/"out"), when it has one."""
        if not variant or (part == "in" and self.kind == "trigger"):  # part: in, out or cfg
            return None
        path = self.component.root / "schemas" / variant / f"{self.kind}s" / f"{self.key}.{part}.json"
        return path if path.is_file() else None

    def schema_for(self, part: str, variant: str | None) -> Any:
        """The raw schema of `part` for a variant (the default one when the variant has none)."""
        path = self.variant_path(part, variant)
        if path is not None:
            return self.component.schemas.load(path)
        return self.in_schema if part == "in" else self.out_schema

    def full_metadata_for(self, variant: str | None) -> dict[str, Any]:
        """The variant's {"in", "out"} as validation reads them, every $ref inlined."""
        if not any(self.variant_path(part, variant) for part in ("in", "out")):
            return self.full_metadata
        return {part: self._inline_from(self.schema_for(part, variant), self.variant_path(part, variant))
                for part in ("in", "out")}

    def metadata_for(self, variant: str | None) -> dict[str, Any]:
        """What POST .../metadata serves for a variant: projected, every $ref inlined."""
        if not any(self.variant_path(part, variant) for part in ("in", "out")):
            return self.metadata
        return project_metadata(self.kind, self.full_metadata_for(variant))

    def _inline_from(self, schema: Any, path: Path | None) -> Any:
        if path is None:
            return self.inline(schema)
        return self.component.schemas.inline(schema, path.resolve().as_uri())

    def inline(self, schema: Any) -> Any:
        base = schema.get("$id", "") if isinstance(schema, dict) else ""
        if not base:  # dynamic schemas resolve relative refs as if they sat beside the static ones
            base = (self.component.root / "schemas" / f"{self.kind}s" / f"{self.key}.json").as_uri()
        return self.component.schemas.inline(schema, base)

    def schema_paths(self) -> list[Path]:
        """Every schema file this step names or uses."""
        paths = [self.component.credentials_path]
        cfg = self.component.root / "schemas" / f"{self.kind}s" / f"{self.key}.cfg.json"
        if cfg.exists():
            paths.append(cfg)
        for part in ("in", "out"):
            ref = (self.definition.get("metadata") or {}).get(part)
            if isinstance(ref, str):
                paths.append(self.component.resolve(ref))
        variants = self.component.root / "schemas"
        paths += sorted(variants.glob(f"*/{self.kind}s/{self.key}.*.json"))
        return paths

    def _metadata_part(self, part: str) -> Any:
        ref = (self.definition.get("metadata") or {}).get(part)
        if ref is None or ref == {}:
            # A dynamicMetadata step declares no metadata (elastic.io: never both); its static
            # schemas, which validation keeps using, sit at the conventional path.
            path = self.component.root / "schemas" / f"{self.kind}s" / f"{self.key}.{part}.json"
            return self.component.schemas.load(path) if path.is_file() else ANY_OBJECT
        if isinstance(ref, str):
            return self.component.schemas.load(self.component.resolve(ref))
        return ref  # an inline schema


def project_metadata(kind: str, full: dict[str, Any]) -> dict[str, Any]:
    """{"in", "out"} as a flow builder renders them; a trigger's `in` is an object with no properties."""
    schema_in = {"type": "object", "properties": {}} if kind == "trigger" else project(full["in"])
    return {"in": schema_in, "out": project(full["out"])}


class Component:
    """component.json at `path`; the component root is its folder."""

    def __init__(self, path: Path | str | None = None) -> None:
        path = Path(path) if path is not None else PROJECT_ROOT / "component.json"
        if path.is_dir():
            path = path / "component.json"
        self.path = path.resolve()
        self.root = self.path.parent
        self.descriptor: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        self.schemas = SchemaStore()
        self.credentials_path = self.root / "schemas" / "credentials.json"
        self._steps: dict[tuple[str, str], Step] = {}
        for kind in ("trigger", "action"):
            for key, definition in (self.descriptor.get(f"{kind}s") or {}).items():
                self._steps[(kind, key)] = Step(self, kind, key, definition)

    @property
    def steps(self) -> list[Step]:
        return list(self._steps.values())

    @property
    def credential_fields(self) -> dict[str, Any]:
        return (self.descriptor.get("credentials") or {}).get("fields") or {}

    @cached_property
    def credentials_schema(self) -> Any:
        return self.schemas.load(self.credentials_path)

    def step(self, kind: str, key: str) -> Step:
        try:
            return self._steps[(kind, key)]
        except KeyError:
            raise StepNotFound(f"no {kind} {key!r} in component.json") from None

    def find(self, key: str) -> Step:
        """A step by key, trigger or action."""
        for kind in ("trigger", "action"):
            if (kind, key) in self._steps:
                return self._steps[(kind, key)]
        raise StepNotFound(f"no step {key!r} in component.json")

    def resolve(self, ref: str) -> Path:
        return (self.root / ref).resolve()

    def import_main(self, main: str) -> ModuleType:
        name = module_name(main)
        if self.root == PROJECT_ROOT.resolve():
            return importlib.import_module(name)
        # A component outside the project (test fixtures): load the file under a private name.
        private = f"_component_{abs(hash(str(self.root)))}.{name}"
        if private in sys.modules:
            return sys.modules[private]
        spec = importlib.util.spec_from_file_location(private, self.resolve(main))
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {main}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[private] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(private, None)
            raise
        return module
