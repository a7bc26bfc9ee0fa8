"""The sandbox is what the client is tested against, so it never imports the client side."""
from __future__ import annotations

import ast
from pathlib import Path

import app.sandbox

FORBIDDEN = ("app.mws", "app.spapi", "app.feeds", "app.actions", "app.triggers")
PROJECT = Path(app.sandbox.__file__).resolve().parents[2]


def imported(source: Path, node: ast.AST) -> list[str]:
    """Absolute module names an import statement names; relative ones resolved from `source`'s package."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level == 0:
        return [node.module or ""]
    package = list(source.resolve().relative_to(PROJECT).with_suffix("").parts[:-1])
    base = package[: len(package) - (node.level - 1)]
    return [".".join(base + ([node.module] if node.module else [alias.name])) for alias in node.names]


def test_given_the_sandbox_sources_then_none_imports_the_client_feeds_actions_or_triggers():
    # rglob: the subpackages (spapi/, ...) are the sandbox too.
    for source in Path(app.sandbox.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            for name in imported(source, node):
                assert not name.startswith(FORBIDDEN), f"{source.name} imports {name}"


def test_given_the_sandbox_modules_then_each_stays_under_about_300_lines():
    for source in Path(app.sandbox.__file__).parent.rglob("*.py"):
        assert len(source.read_text().splitlines()) < 300, source.name
