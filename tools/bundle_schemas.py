#!/usr/bin/env python3
"""Make the step schema files self-contained: every reference to a shared fragment in
`schemas/common/` becomes a reference into the file's own `$defs`, where a copy of the fragment sits
under a `common-<name>` key. elastic.io reads the files component.json names and resolves no
reference outside them; our own service reads the same files.

`schemas/common/*.json` stay the one place a shared fragment is edited. After an edit:

    python3 tools/bundle_schemas.py          # rewrite the step files' bundled copies
    python3 tools/bundle_schemas.py --check  # exit 1 when a step file is out of date (a test runs it)
"""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
COMMON = SCHEMAS / "common"
PREFIX = "common-"
STEP_FOLDERS = ("actions", "triggers")


def _key(path: Path) -> str:
    return PREFIX + path.stem


def _rewrite(node: Any, here: Path, wanted: set[Path], inside: str | None) -> Any:
    """Copy of `node` with external refs turned internal. `inside`: the $defs key of the fragment
    being copied (its own "#/..." refs then point into its bundled copy), None for the step file."""
    if isinstance(node, list):
        return [_rewrite(item, here, wanted, inside) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = _ref(value, here, wanted, inside)
        elif key in ("enum", "const", "default", "examples"):
            out[key] = copy.deepcopy(value)
        else:
            out[key] = _rewrite(value, here, wanted, inside)
    return out


def _ref(ref: str, here: Path, wanted: set[Path], inside: str | None) -> str:
    target, _, pointer = ref.partition("#")
    if not target and pointer.startswith(f"/$defs/{PREFIX}") and inside is None:
        # Bundled already: the fragment's copy is made again from schemas/common.
        wanted.add(COMMON / (pointer.split("/")[2][len(PREFIX):] + ".json"))
        return ref
    if not target:
        return f"#/$defs/{inside}{pointer}" if inside and pointer else ref
    path = (here.parent / target).resolve()
    if path.parent != COMMON.resolve():
        raise SystemExit(f"{here}: {ref} points outside schemas/common")
    wanted.add(path)
    return f"#/$defs/{_key(path)}{pointer}"


def bundle(step_file: Path) -> dict[str, Any]:
    doc = json.loads(step_file.read_text(encoding="utf-8"))
    defs = {k: v for k, v in (doc.get("$defs") or {}).items() if not k.startswith(PREFIX)}
    wanted: set[Path] = set()
    body = _rewrite({k: v for k, v in doc.items() if k != "$defs"}, step_file, wanted, None)
    defs = _rewrite(defs, step_file, wanted, None)
    done: set[Path] = set()
    bundled: dict[str, Any] = {}
    while wanted - done:
        path = sorted(wanted - done)[0]
        done.add(path)
        fragment = json.loads(path.read_text(encoding="utf-8"))
        fragment = {k: v for k, v in fragment.items() if k not in ("$schema", "$id")}
        bundled[_key(path)] = _rewrite(fragment, path, wanted, _key(path))
    if defs or bundled:
        body["$defs"] = {**defs, **dict(sorted(bundled.items()))}
    return body


def step_files() -> list[Path]:
    return sorted(p for folder in STEP_FOLDERS for p in (SCHEMAS / folder).glob("*.json"))


def main(argv: list[str]) -> int:
    stale = []
    for path in step_files():
        text = json.dumps(bundle(path), indent=2, ensure_ascii=False) + "\n"
        if path.read_text(encoding="utf-8") != text:
            stale.append(path.relative_to(ROOT))
            if "--check" not in argv:
                path.write_text(text, encoding="utf-8")
    if stale and "--check" in argv:
        print("out of date (run python3 tools/bundle_schemas.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
