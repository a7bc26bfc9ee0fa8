"""The sandbox is what the client is tested against, so it never imports the client side."""
from __future__ import annotations

import ast
from pathlib import Path

import app.sandbox

FORBIDDEN = ("app.mws", "app.feeds", "app.actions", "app.triggers")


def test_given_the_sandbox_sources_then_none_imports_the_client_feeds_actions_or_triggers():
    for source in Path(app.sandbox.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{source.name} imports {name}"


def test_given_the_sandbox_modules_then_each_stays_under_about_300_lines():
    for source in Path(app.sandbox.__file__).parent.glob("*.py"):
        assert len(source.read_text().splitlines()) < 300, source.name
