"""Browser fixtures: Debian's Chromium through Playwright, the form-renderer page (bundled once).

Without Chromium, Playwright, Node/npm or the npm registry these tests skip with the reason; under
CI=true the same absence fails them (.ci/run installs Chromium), so CI never passes by skipping.
Playwright's sync API keeps an event loop of its own running in the main thread while it lives, so
its fixtures are module-scoped (a folder without __init__.py has no package scope: it would be the
session's): it is gone before any other folder's asyncio tests run. The bundle is built once a session.
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


@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Any]:
    try:
        fh.prerequisites(npm=False)
    except fh.Unavailable as exc:
        unavailable(str(exc))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_instance: Any) -> Iterator[Any]:
    browser = fh.launch(playwright_instance)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def harness_site() -> Any:
    try:
        fh.prerequisites(npm=True)
        return fh.build()
    except fh.Unavailable as exc:
        unavailable(str(exc))


@pytest.fixture(scope="module")
def form_page(browser: Any, harness_site: Any) -> Iterator[fh.FormPage]:
    with fh.StaticServer(harness_site) as url:
        context = browser.new_context()
        try:
            yield fh.FormPage(context.new_page(), url)
        finally:
            context.close()
