"""The sandbox is what the client is tested against, so it never imports the client side.

Every module of the package and its subpackages counts; app.model (the shared wire model, plain
data) is allowed."""
from __future__ import annotations

import ast
from pathlib import Path

import app
import app.sandbox

FORBIDDEN = ("app.mws", "app.feeds", "app.actions", "app.triggers", "app.spapi")
SOURCES = sorted(Path(app.sandbox.__file__).parent.rglob("*.py"))


ROOT = Path(app.__file__).parent.parent


def _imports(source: Path) -> list[str]:
    """Absolute names of what `source` imports, relative imports resolved."""
    package = list(source.relative_to(ROOT).with_suffix("").parts)[:-1]
    names: list[str] = []
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            names.append(".".join([*base, *([node.module] if node.module else [])]))
    return names


def test_given_the_sandbox_sources_then_none_imports_the_client_feeds_actions_or_triggers():
    assert len(SOURCES) > 20  # the subpackages are walked too
    for source in SOURCES:
        for name in _imports(source):
            assert not name.startswith(FORBIDDEN), f"{source.name} imports {name}"


def test_given_the_sandbox_modules_then_each_stays_under_about_300_lines():
    for source in SOURCES:
        assert len(source.read_text().splitlines()) < 300, source.name


def test_given_the_sandbox_modules_then_each_says_what_it_is_for():
    for source in SOURCES:
        assert ast.get_docstring(ast.parse(source.read_text())), f"{source} has no module docstring"


def test_given_the_shared_wire_model_then_it_imports_nothing_of_the_client_or_the_sandbox():
    import app.model

    for name in _imports(Path(app.model.__file__)):
        assert not name.startswith(("app.",)), name
