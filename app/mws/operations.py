"""The MWS wire facts, loaded from `app/model/mws/*.json`: operations, element shapes, quotas, error codes.

Nothing here decides anything; it answers "where does ListOrders go, what is its result element,
which elements repeat, which group throttles it". Adding an operation is a JSON edit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from app.model import MODEL_DIR as _MODEL_ROOT
from app.model import load as _load_model

MODEL_DIR = _MODEL_ROOT / "mws"
SECTIONS = ("orders", "sellers", "feeds", "reports")


@dataclass(frozen=True)
class Shape:
    """How XML elements become JSON: wrappers that are lists, elements that repeat, typed leaves."""

    lists: dict[str, str] = field(default_factory=dict)  # wrapper element -> its item element
    repeated: frozenset[str] = frozenset()  # elements that repeat in place (no wrapper)
    booleans: frozenset[str] = frozenset()
    boolean_prefix: str | None = None  # "Is" + an upper-case letter (IsPrime, IsGift, ...)
    integers: frozenset[str] = frozenset()

    def is_boolean(self, name: str) -> bool:
        if name in self.booleans:
            return True
        p = self.boolean_prefix
        # Amazon also spells some flags with a lower-case i (isAddressSharingConfidential).
        return p is not None and len(name) > len(p) and name[: len(p)].lower() == p.lower() and name[len(p)].isupper()

    def merged(self, other: "Shape") -> "Shape":
        return Shape(
            lists={**self.lists, **other.lists},
            repeated=self.repeated | other.repeated,
            booleans=self.booleans | other.booleans,
            boolean_prefix=self.boolean_prefix or other.boolean_prefix,
            integers=self.integers | other.integers,
        )


@dataclass(frozen=True)
class Operation:
    name: str
    section: str
    path: str
    version: str
    result: str | None  # the <XResult> element; None for raw bodies (GetFeedSubmissionResult)
    throttle_group: str
    next_token_operation: str | None = None
    raw: bool = False  # the body is returned as bytes, not parsed
    body_in_query: bool = False  # SubmitFeed: parameters in the query, the feed as the body
    result_lists: tuple[str, ...] = ()  # repeated result children that are [] when absent
    idempotent: bool = True  # False: a retry after an unclear failure could act twice (SubmitFeed)
    shape: Shape = field(default_factory=Shape)

    @property
    def qualified_name(self) -> str:
        return f"{self.section}.{self.name}"


def _shape(raw: dict[str, Any]) -> Shape:
    return Shape(
        lists=dict(raw.get("lists", {})),
        repeated=frozenset(raw.get("repeated", ())),
        booleans=frozenset(raw.get("booleans", ())),
        boolean_prefix=raw.get("booleanPrefix"),
        integers=frozenset(raw.get("integers", ())),
    )


def _load(name: str) -> dict[str, Any]:
    return _load_model("mws", name)


@lru_cache(maxsize=1)
def _registry() -> dict[str, Operation]:
    ops: dict[str, Operation] = {}
    ambiguous: set[str] = set()
    for section_file in SECTIONS:
        doc = _load(section_file)
        shape = _shape(doc.get("elements", {}))
        for name, raw in doc["operations"].items():
            op = Operation(
                name=name,
                section=doc["section"],
                path=raw.get("path", doc["path"]),
                version=raw.get("version", doc["version"]),
                result=raw.get("result"),
                throttle_group=raw["throttleGroup"],
                next_token_operation=raw.get("nextTokenOperation"),
                raw=bool(raw.get("raw", False)),
                body_in_query=bool(raw.get("bodyInQuery", False)),
                result_lists=tuple(raw.get("resultLists", ())),
                idempotent=bool(raw.get("idempotent", True)),
                shape=shape.merged(_shape(raw.get("elements", {}))),
            )
            ops[op.qualified_name] = op
            if name in ops or name in ambiguous:
                ops.pop(name, None)
                ambiguous.add(name)
            else:
                ops[name] = op
    return ops


def operation(name: str, section: str | None = None) -> Operation:
    """The operation `name` ("ListOrders", or "Sellers.GetServiceStatus" where a name is in two sections)."""
    key = f"{section}.{name}" if section and "." not in name else name
    try:
        return _registry()[key]
    except KeyError:
        sections = [op.section for op in _registry().values() if op.name == name]
        if len(sections) > 1:
            raise KeyError(f"{name} exists in {', '.join(sorted(set(sections)))}; qualify it, e.g. "
                           f"{sections[0]}.{name}") from None
        raise KeyError(f"unknown MWS operation {name}") from None


def operations() -> list[Operation]:
    return sorted({op.qualified_name: op for op in _registry().values()}.values(), key=lambda o: o.qualified_name)


@lru_cache(maxsize=1)
def throttle_groups() -> dict[str, dict[str, float]]:
    """Built-in quotas per throttle group: {group: {max, restorePerSecond, hourly?}}."""
    return {g: {k: float(v) for k, v in q.items()} for g, q in _load("throttle")["groups"].items()}


@lru_cache(maxsize=1)
def error_model() -> dict[str, Any]:
    return _load("errors")


def error_class_name(code: str | None, status: int | None) -> str:
    """The name of the class in app.mws.errors for an Amazon error (code first, then HTTP status)."""
    model = error_model()
    status_key = str(status) if status is not None else ""
    if status_key in model["statusWins"]:
        return model["statuses"][status_key]
    if code and code in model["codes"]:
        return model["codes"][code]
    statuses = model["statuses"]
    if status_key in statuses:
        return statuses[status_key]
    if status is not None and f"{status // 100}xx" in statuses:
        return statuses[f"{status // 100}xx"]
    return "RequestError"
