"""Refresh docs/playground.png, the README's picture of /playground.

Starts the service with the sandbox on 127.0.0.1 (in this process), opens /playground in Debian's
Chromium through Playwright, runs the same tour as tests/browser/test_playground.py (getOrder for a
sandbox order, a sample poll, two run polls with the snapshot carried) and screenshots the page.

    python tools/screenshot_playground.py [--out docs/playground.png]

Needs the test extras (`pip install -e '.[test]'`, for playwright) and /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]  # this checkout's app, and the shared driver

import form_harness  # noqa: E402
import playground_driver  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "playground.png")
    args = parser.parse_args()
    try:
        form_harness.prerequisites(npm=False)
    except form_harness.Unavailable as exc:
        print(f"cannot take the screenshot: {exc}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with playground_driver.sandbox_service() as base, sync_playwright() as playwright:
        browser = form_harness.launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 960}, device_scale_factor=1)
            seen = playground_driver.tour(page, base)
            page.evaluate("window.scrollTo(0, 0)")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
        finally:
            browser.close()
    print(f"{args.out}: getOrder {seen['getOrder']['outcome']}, second poll sent {seen['first']['snapshot']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
