"""Browser fixtures: Debian's Chromium through Playwright, the form-renderer page (bundled once).

Without Chromium, Playwright, Node/npm or the npm registry these tests skip with the reason; under
CI=true the same absence fails them (.ci/run installs Chromium), so CI never passes by skipping.
The fixtures are package-scoped: Playwright's own event loop is gone before the other packages'
asyncio tests run.
"""
from __future__ import annotations

import os
from typing import Any, Iterator

import pytest

import form_harness as fh


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Any]:
    try:
        fh.prerequisites(npm=False)
    except fh.Unavailable as exc:
        unavailable(str(exc))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance: Any) -> Iterator[Any]:
    browser = fh.launch(playwright_instance)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="package")
def harness_site() -> Any:
    try:
        fh.prerequisites(npm=True)
        return fh.build()
    except fh.Unavailable as exc:
        unavailable(str(exc))


@pytest.fixture(scope="package")
def form_page(browser: Any, harness_site: Any) -> Iterator[fh.FormPage]:
    with fh.StaticServer(harness_site) as url:
        context = browser.new_context()
        try:
            yield fh.FormPage(context.new_page(), url)
        finally:
            context.close()
