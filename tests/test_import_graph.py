"""The layers hold (README "Architecture"): the generic API and runtime import no backend, and the
sandbox imports none of the client code it tests. Read from the source, lazy imports included."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
BACKENDS = ("app.mws", "app.spapi", "app.backends", "app.feeds", "app.steps", "app.actions", "app.triggers",
            "app.sandbox")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", ["api", "runtime"])
def test_given_the_generic_layers_when_their_imports_are_read_then_no_backend_is_among_them(layer):
    found = {f"{path.relative_to(APP)}: {name}"
             for path in (APP / layer).rglob("*.py") for name in imports_of(path)
             if any(name == b or name.startswith(b + ".") for b in BACKENDS)}
    assert found == set()


def test_given_the_steps_when_their_imports_are_read_then_none_names_a_backend_client():
    steps = [*(APP / "actions").glob("*.py"), *(APP / "triggers").glob("*.py"), *(APP / "steps").glob("*.py")]
    found = {f"{path.relative_to(APP)}: {name}" for path in steps for name in imports_of(path)
             if name.startswith(("app.mws", "app.spapi"))}
    assert found == set()
