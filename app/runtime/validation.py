"""Input checks before a step starts: schema errors turned into 422 problems that never echo values.

jsonschema's own messages embed the offending instance (a whole cfg, secrets included), so every
message here is built from the failed keyword and the schema's own value, and every path names the
offending field itself: for a missing property the name is taken from the `required` list and
appended (`cfg.sellerId`), for an unexpected one from the instance's keys.
"""
from __future__ import annotations

import itertools
import json
import operator
import re
from typing import Any, Callable, Iterable, Iterator

from jsonschema import validators
from jsonschema.exceptions import ValidationError, best_match

from app.runtime.errors import MAX_PROBLEMS, InputProblem, MoreProblems
from app.runtime.patterns import pattern_words

COUNT_BEYOND = 10_000  # errors counted past MAX_PROBLEMS before the count, too, gives up

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
    """The schema violations of `instance`, as safe problems under `prefix` (e.g. "msg.body").

    Lazy and capped: errors are drawn one at a time and collection stops once more than
    MAX_PROBLEMS fields are wrong; up to COUNT_BEYOND further errors are then counted (not built
    into problems) for the closing MoreProblems entry, and the validation stops there."""
    found: list[tuple[list[str], InputProblem]] = []
    paths: set[str] = set()
    errors = _quiet(validator).iter_errors(instance)
    for error in errors:
        key = [str(p) for p in error.absolute_path]
        for problem in _problems(error, prefix):
            paths.add(problem.path)
            found.append((key, problem))
            if len(paths) > MAX_PROBLEMS:
                break
        if len(paths) > MAX_PROBLEMS:
            break
    else:
        return _one_a_field(found)
    counted = sum(1 for _ in itertools.islice(errors, COUNT_BEYOND))
    listed = _one_a_field(found)[:MAX_PROBLEMS]
    return listed + [MoreProblems.of(prefix, len(paths) - MAX_PROBLEMS + counted, exact=counted < COUNT_BEYOND)]


_QUIET: dict[type, type] = {}


class _QuietList(list):
    __slots__ = ()

    def __repr__(self) -> str:
        return "[...]"


class _QuietDict(dict):
    __slots__ = ()

    def __repr__(self) -> str:
        return "{...}"


def _quiet(validator):
    """The same validator, cheaper on hostile input; what is valid does not change.

    - An array longer than its `maxItems` is reported by maxItems alone: its items are not validated
      one by one (a million well-formed ids would take seconds to say nothing more).
    - jsonschema writes `repr(instance)` into every message, which we never read (see describe):
      for a million-item array that is 40 ms and tens of MB an error. The container keywords here
      say nothing of the instance; the rarer ones that descend get a shallow copy whose repr is `[...]`.
    """
    cls = type(validator)
    quiet = _QUIET.get(cls)
    if quiet is None:
        original = cls.VALIDATORS

        def items(v, value, instance, schema):
            maximum = schema.get("maxItems")
            if isinstance(maximum, int) and v.is_type(instance, "array") and len(instance) > maximum:
                return
            yield from original["items"](v, value, instance, schema)

        def sized(kind: str, too: Callable[[int, int], bool]):
            def keyword(v, limit, instance, schema):
                if v.is_type(instance, kind) and too(len(instance), limit):
                    yield ValidationError(f"the {kind} has {len(instance)}, the limit is {limit}")
            return keyword

        def type_(v, types, instance, schema):
            types = types if isinstance(types, list) else [types]
            if not any(v.is_type(instance, t) for t in types):
                yield ValidationError(f"not of type {', '.join(map(str, types))}")

        def shallow(check):
            def keyword(v, value, instance, schema):
                kind = type(instance)
                instance = _QuietList(instance) if kind is list else _QuietDict(instance) if kind is dict else instance
                return check(v, value, instance, schema)
            return keyword

        overrides = {
            "type": type_, "items": items,
            "maxItems": sized("array", operator.gt), "minItems": sized("array", operator.lt),
            "maxProperties": sized("object", operator.gt), "minProperties": sized("object", operator.lt),
            **{k: shallow(original[k]) for k in ("enum", "const", "uniqueItems", "anyOf", "oneOf", "not", "contains")
               if k in original},
        }
        quiet = _QUIET[cls] = validators.extend(cls, {k: v for k, v in overrides.items() if k == "type" or k in original})
    return quiet(validator.schema, registry=validator._registry, format_checker=validator.format_checker)


def _one_a_field(found: list[tuple[list[str], InputProblem]]) -> list[InputProblem]:
    """In path order, one message a field: an empty string failing minLength and a pattern is one mistake."""
    out: list[InputProblem] = []
    seen: set[str] = set()
    for _, problem in sorted(found, key=lambda item: item[0]):
        if problem.path not in seen:
            seen.add(problem.path)
            out.append(problem)
    return out


def _problems(error: ValidationError, prefix: str) -> Iterator[InputProblem]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        # The branch whose type fits says what is wrong (0 for an integer-or-numeric-string field is
        # "at least 1", not "must be a string").
        fitting = [e for e in error.context if e.validator != "type"]
        yield from _problems(best_match(fitting or error.context), prefix)
        return
    base = list(error.absolute_path)
    value = error.validator_value
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        missing = [name for name in value if name not in instance]
        yield from (InputProblem(join_path(prefix, base + [name]), "is required") for name in missing)
        return
    if error.validator == "dependentRequired" and isinstance(instance, dict):
        yield from (
            InputProblem(join_path(prefix, base + [dep]), f"is required when {name} is given")
            for name, deps in value.items() if name in instance
            for dep in deps if dep not in instance
        )
        return
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = set((error.schema.get("properties") or {}))
        patterns = [re.compile(p) for p in (error.schema.get("patternProperties") or {})]
        extra = (k for k in instance if k not in known and not any(p.search(k) for p in patterns))
        first = next(extra, None)
        if first is not None:
            # A generator: an object with a million unknown keys yields only as many as are listed.
            yield from (InputProblem(join_path(prefix, base + [k]), "is not allowed") for k in itertools.chain([first], extra))
            return
    yield InputProblem(join_path(prefix, base), describe(error))


def _kinds(value: Any) -> str:
    kinds = value if isinstance(value, list) else [value]
    return " or ".join(f"{'an' if str(k)[0] in 'aeiou' else 'a'} {k}" for k in kinds)


def _choices(values: list[Any]) -> str:
    if len(values) > 30:
        return "one of the allowed values"
    return "one of " + ", ".join(json.dumps(v) for v in values)


def _rule(schema: Any) -> str | None:
    text = schema.get("description") if isinstance(schema, dict) else None
    return text if isinstance(text, str) and text.startswith("give ") else None


def describe(error: ValidationError) -> str:
    """A message from the keyword and the schema's value; the instance is never looked at."""
    v, value = error.validator, error.validator_value
    messages = {
        "type": lambda: f"must be {_kinds(value)}",
        "enum": lambda: f"must be {_choices(list(value))}",
        "const": lambda: f"must be {json.dumps(value)}",
        "pattern": lambda: pattern_words(value, error.schema),
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
        # A `not` carries its rule in words in the schema's description ("give Quantity or Available, not both").
        "not": lambda: _rule(error.schema) or "is not allowed in this form",
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
