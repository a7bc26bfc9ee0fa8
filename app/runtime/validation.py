"""Input checks before a step starts: schema errors turned into 422 problems that never echo values.

jsonschema's own messages embed the offending instance (a whole cfg, secrets included), so every
message here is built from the failed keyword and the schema's own value, and every path names the
offending field itself: for a missing property the name is taken from the `required` list and
appended (`cfg.sellerId`), for an unexpected one from the instance's keys.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from jsonschema.exceptions import ValidationError, best_match

from app.runtime.errors import InputProblem

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def join_path(prefix: str, parts: Iterable[Any]) -> str:
    path = prefix
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _IDENT.match(str(part)):
            path += f".{part}" if path else str(part)
        else:
            path += f"[{json.dumps(str(part))}]"
    return path


def problems_for(validator, instance: Any, prefix: str) -> list[InputProblem]:
    """Every schema violation of `instance`, as safe problems under `prefix` (e.g. "msg.body")."""
    out: list[InputProblem] = []
    seen: set[str] = set()
    errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        for problem in _problems(error, prefix):
            # One message a field: an empty string failing minLength and a pattern is one mistake.
            if problem.path not in seen:
                seen.add(problem.path)
                out.append(problem)
    return out


def _problems(error: ValidationError, prefix: str) -> list[InputProblem]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        # The branch whose type fits says what is wrong (0 for an integer-or-numeric-string field is
        # "at least 1", not "must be a string").
        fitting = [e for e in error.context if e.validator != "type"]
        return _problems(best_match(fitting or error.context), prefix)
    base = list(error.absolute_path)
    value = error.validator_value
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        missing = [name for name in value if name not in instance]
        return [InputProblem(join_path(prefix, base + [name]), "is required") for name in missing]
    if error.validator == "dependentRequired" and isinstance(instance, dict):
        return [
            InputProblem(join_path(prefix, base + [dep]), f"is required when {name} is given")
            for name, deps in value.items() if name in instance
            for dep in deps if dep not in instance
        ]
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = set((error.schema.get("properties") or {}))
        patterns = [re.compile(p) for p in (error.schema.get("patternProperties") or {})]
        extra = [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]
        if extra:
            return [InputProblem(join_path(prefix, base + [k]), "is not allowed") for k in extra]
    return [InputProblem(join_path(prefix, base), describe(error))]


def _kinds(value: Any) -> str:
    kinds = value if isinstance(value, list) else [value]
    return " or ".join(f"{'an' if str(k)[0] in 'aeiou' else 'a'} {k}" for k in kinds)


def _choices(values: list[Any]) -> str:
    if len(values) > 30:
        return "one of the allowed values"
    return "one of " + ", ".join(json.dumps(v) for v in values)


def describe(error: ValidationError) -> str:
    """A message from the keyword and the schema's value; the instance is never looked at."""
    v, value = error.validator, error.validator_value
    messages = {
        "type": lambda: f"must be {_kinds(value)}",
        "enum": lambda: f"must be {_choices(list(value))}",
        "const": lambda: f"must be {json.dumps(value)}",
        "pattern": lambda: f"must match the pattern {value}",
        "format": lambda: f"must be a valid {value}",
        "minLength": lambda: "must not be empty" if value == 1 else f"must be at least {value} characters long",
        "maxLength": lambda: f"must be at most {value} characters long",
        "minimum": lambda: f"must be at least {value}",
        "maximum": lambda: f"must be at most {value}",
        "exclusiveMinimum": lambda: f"must be greater than {value}",
        "exclusiveMaximum": lambda: f"must be less than {value}",
        "multipleOf": lambda: f"must be a multiple of {value}",
        "minItems": lambda: f"must have at least {value} item{'s' if value != 1 else ''}",
        "maxItems": lambda: f"must have at most {value} item{'s' if value != 1 else ''}",
        "uniqueItems": lambda: "must not contain duplicates",
        "minProperties": lambda: f"must have at least {value} propert{'ies' if value != 1 else 'y'}",
        "maxProperties": lambda: f"must have at most {value} propert{'ies' if value != 1 else 'y'}",
        "additionalProperties": lambda: "has properties that are not allowed",
        "unevaluatedProperties": lambda: "has properties that are not allowed",
        "not": lambda: "is not allowed in this form",
        "anyOf": lambda: "does not match any allowed form",
        "oneOf": lambda: "must match exactly one allowed form",
        "contains": lambda: "does not contain a required item",
        "propertyNames": lambda: "has a property name that is not allowed",
        None: lambda: "is not allowed",
    }
    make = messages.get(v)
    message = make() if make else f"does not satisfy {v}"
    title = error.schema.get("title") if isinstance(error.schema, dict) else None
    return f"{title}: {message}" if isinstance(title, str) and len(title) < 80 else message


def as_problems(result: Any, default_prefix: str = "") -> list[InputProblem]:
    """A step's check() result (InputProblems or {"path","message"} dicts) as InputProblems."""
    problems: list[InputProblem] = []
    for item in result or []:
        if isinstance(item, InputProblem):
            problems.append(item)
        elif isinstance(item, dict):
            problems.append(InputProblem(str(item.get("path", default_prefix)), str(item.get("message", "is not valid"))))
    return problems
