"""The browser harness: Debian's Chromium driven by Playwright, and real JSON-schema form renderers.

`prerequisites()` says what is missing (Chromium, Playwright, npm); `build(cache)` installs the renderers
from the npm registry into a cache folder outside git (tests/browser/package.json pins them) and bundles
harness/entry.jsx with esbuild into one static page; `StaticServer` serves a folder on 127.0.0.1;
`launch(playwright)` starts Chromium with the flags this machine needs. Nothing here is committed but
the sources: node_modules and the bundle live in the cache (FORMS_CACHE_DIR, default
~/.cache/amazon-component-forms), keyed by a hash of package.json and the entry, so a session bundles once.
"""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PACKAGE_JSON = HERE / "package.json"
ENTRY = HERE / "harness" / "entry.jsx"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>form harness</title></head>
<body><main id="forms"></main><script src="bundle.js"></script></body></html>
"""


class Unavailable(Exception):
    """A prerequisite is missing: the tests skip with this reason (under CI=true they fail)."""


def chromium_path() -> str | None:
    """CHROMIUM_PATH when set (and only it), else Debian's /usr/bin/chromium or a chromium on PATH."""
    if os.environ.get("CHROMIUM_PATH"):
        path = os.environ["CHROMIUM_PATH"]
        return path if os.access(path, os.X_OK) else None
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else shutil.which("chromium")


def prerequisites(*, npm: bool) -> None:
    if chromium_path() is None:
        raise Unavailable("Chromium is not installed (/usr/bin/chromium, or CHROMIUM_PATH; apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise Unavailable("the playwright package is not installed (pip install -e '.[test]')") from None
    if npm and (shutil.which("npm") is None or shutil.which("node") is None):
        raise Unavailable("Node.js and npm are not installed")


def cache_root() -> Path:
    return Path(os.environ.get("FORMS_CACHE_DIR") or Path.home() / ".cache" / "amazon-component-forms")


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _run(cmd: list[str], cwd: Path, what: str, timeout: int) -> None:
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Unavailable(f"{what} took more than {timeout} s (is the npm registry reachable?)") from None
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).strip().splitlines() if line.strip()]
        raise Unavailable(f"{what} failed: " + " | ".join(lines[:3]))


def build(cache: Path | None = None) -> Path:
    """The folder holding index.html and bundle.js, installing and bundling when not yet done."""
    root = (cache or cache_root())
    modules = root / f"modules-{_digest(PACKAGE_JSON)}"
    if not (modules / "node_modules" / ".package-lock.json").is_file():
        modules.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PACKAGE_JSON, modules / "package.json")
        # Few, short retries: an unreachable registry should skip (or fail under CI) within seconds.
        _run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--fetch-retries=1",
              "--fetch-retry-mintimeout=1000", "--fetch-retry-maxtimeout=3000"], modules,
             "npm install of the form renderers", timeout=300)
    site = modules / f"site-{_digest(ENTRY)}"
    bundle = site / "bundle.js"
    if not bundle.is_file():
        site.mkdir(exist_ok=True)
        work = modules / "entry.jsx"  # beside node_modules, so that imports resolve there
        shutil.copyfile(ENTRY, work)
        partial = site / "bundle.js.part"
        _run([str(modules / "node_modules" / ".bin" / "esbuild"), str(work), "--bundle", "--format=iife",
              "--jsx=automatic", "--loader:.jsx=jsx", "--define:process.env.NODE_ENV=\"production\"",
              "--minify", f"--outfile={partial}", "--log-level=warning"], modules, "esbuild", timeout=120)
        (site / "index.html").write_text(PAGE)
        partial.replace(bundle)
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class StaticServer:
    """A folder served on 127.0.0.1 (a free port) in a thread: `with StaticServer(dir) as url: ...`."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def launch(playwright: Any) -> Any:
    """Debian's Chromium (Playwright never downloads a browser here). Playwright gives every launch a
    fresh, empty profile folder of its own (it refuses --user-data-dir in the flags)."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)


class FormPage:
    """One loaded harness page; `render(schema, renderer)` returns the harness's report (entry.jsx)."""

    RENDERERS = ("jsonforms", "rjsf")  # and "jsonforms-validating" (entry.jsx says why it is not the default)

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.console_errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.goto(url + "index.html")
        page.wait_for_function("window.harness && window.harness.ready", timeout=20_000)

    def render(self, schema: dict[str, Any], renderer: str) -> dict[str, Any]:
        self.page.evaluate("() => window.harness.clear()")
        return self.page.evaluate("([s, r]) => window.harness.render(s, r)", [json.loads(json.dumps(schema)), renderer])
