"""/playground and /docs in headless Chromium, against a real uvicorn service with the sandbox.

The playground tour (playground_driver.tour): getOrder for an order the sandbox holds, a sample poll of
the trigger, then two run polls; the second must send the snapshot the first returned. Every request
the pages make stays on the service (no CDN, no third-party script).
"""
from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

import playground_driver as drive

TOKEN = "playground-test-token"


@pytest.fixture
def page_on(browser: Any) -> Iterator[Any]:
    """new_page() -> a page in a fresh context that records requests and page errors."""
    contexts = []

    def new_page() -> Any:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.requests = []  # type: ignore[attr-defined]
        page.errors = []  # type: ignore[attr-defined]
        page.on("request", lambda r: page.requests.append(r))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        return page

    yield new_page
    for context in contexts:
        context.close()


def test_given_the_sandbox_when_a_person_runs_getorder_and_polls_twice_then_events_stream_and_the_snapshot_is_carried(
        page_on, tmp_path):
    with drive.sandbox_service() as base:
        page = page_on()
        try:
            seen = drive.tour(page, base)
        finally:
            page.screenshot(path=str(tmp_path / "playground.png"))
        text = page.locator("#events").text_content()
        executes = [r for r in page.requests if r.url.endswith("/execute")]

    get_order = seen["getOrder"]
    assert get_order["outcome"] == "ok" and get_order["events"] == ["data", "end"]
    assert get_order["orderId"] in text and "999-0000000-0000000" in text  # found, and notFound
    assert seen["sample"]["events"] == ["data", "data", "data", "end"]  # Orders per Page: 3, one request
    assert text.count("amazonOrderId: ") >= 3 and "outcome ok" in text
    assert seen["sample"]["snapshot"] == {}  # sample mode never moves the snapshot
    assert seen["first"]["outcome"] == "ok" and "lastUpdatedAfter" in seen["first"]["snapshot"]
    assert seen["first"]["events"].count("data") > 3
    assert seen["second"]["outcome"] == "ok"

    assert len(executes) == 4 and all(r.headers.get("accept") == "application/x-ndjson" for r in executes)
    bodies = [json.loads(r.post_data) for r in executes]
    assert bodies[0]["msg"]["body"]["amazonOrderIds"] == [get_order["orderId"], "999-0000000-0000000"]
    assert bodies[0]["cfg"]["sellerId"] == "A1SANDBOXSELLER"  # the demo credentials button
    assert [b["mode"] for b in bodies[1:]] == ["sample", "run", "run"]
    assert bodies[2]["snapshot"] == {}
    assert bodies[3]["snapshot"] == seen["first"]["snapshot"]  # carried into the next poll
    assert "with snapshot " + json.dumps(seen["first"]["snapshot"], separators=(",", ":")) in text
    assert seen["second"]["snapshot"]["lastUpdatedAfter"] >= seen["first"]["snapshot"]["lastUpdatedAfter"]

    assert all(r.url.startswith(base + "/") for r in page.requests), "a request left the service"
    assert page.errors == []
    assert (tmp_path / "playground.png").stat().st_size > 10_000


def test_given_a_token_when_the_playground_and_docs_open_then_they_ask_for_it_and_send_it_as_bearer(page_on):
    with drive.sandbox_service(step_api_token=TOKEN) as base:
        page = page_on()
        page.goto(f"{base}/playground")
        page.wait_for_selector("#token-form:not(.hidden)")
        page.fill("#token", TOKEN)
        page.click("#token-form button")
        page.wait_for_selector("#step option", state="attached")
        component = [r for r in page.requests if r.url == f"{base}/component"]
        assert component[-1].headers.get("authorization") == f"Bearer {TOKEN}"

        docs = page_on()
        docs.goto(f"{base}/docs")
        docs.wait_for_selector("#token-bar.shown")
        docs.fill("#token", TOKEN)
        docs.click("#token-bar button")
        docs.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
        assert "/actions/{key}/execute" in docs.locator("#swagger-ui").text_content()
        spec = [r for r in docs.requests if r.url == f"{base}/openapi.json"]
        assert spec[-1].headers.get("authorization") == f"Bearer {TOKEN}"
        assert all(r.url.startswith(base + "/") for r in page.requests + docs.requests)
        assert page.errors == [] and docs.errors == []


def test_given_no_token_when_docs_open_then_swagger_ui_shows_the_api_from_the_service_itself(page_on):
    with drive.sandbox_service() as base:
        docs = page_on()
        docs.goto(f"{base}/docs")
        docs.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
        text = docs.locator("#swagger-ui").text_content()
        assert "/triggers/{key}/execute" in text and "/verify-credentials" in text
        assert all(r.url.startswith(base + "/") for r in docs.requests), "Swagger UI reached outside the service"
        assert docs.errors == []


ALL_TYPES = {
    "type": "object", "required": ["sku"],
    "properties": {
        "sku": {"type": "string", "title": "SKU"},
        "quantity": {"type": "integer"},
        "price": {"type": "number"},
        "amount": {"type": ["number", "string"]},
        "gift": {"type": "boolean"},
        "status": {"type": "string", "enum": ["Success", "Failure"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "price2": {"type": "object", "properties": {"value": {"type": "number"}, "currency": {"type": "string"}}},
        "lines": {"type": "array", "items": {"type": "object", "properties": {
            "sku": {"type": "string"}, "qty": {"type": "integer"},
            "dims": {"type": "object", "properties": {"w": {"type": "number"}}}}}},
        "left": {"type": "string"},
        "free": {"title": "Free"},
    },
}


def test_given_every_type_our_schemas_use_when_the_playground_form_is_filled_then_the_body_has_the_right_json(
        browser, tmp_path):
    from form_harness import StaticServer

    (tmp_path / "index.html").write_text('<!doctype html><main id="m"></main><script src="assets/forms.js"></script>')
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "forms.js").write_bytes((drive.STATIC / "forms.js").read_bytes())
    with StaticServer(tmp_path) as url:
        page = browser.new_page()
        try:
            page.goto(url + "index.html")
            page.evaluate("s => { window.f = Forms.build(s); document.getElementById('m').appendChild(window.f.el); }", ALL_TYPES)
            assert page.evaluate("() => window.f.value()") == {}  # nothing filled: nothing sent
            field = lambda name: page.locator(f'[data-field="{name}"]').first  # noqa: E731
            field("sku").locator("input").fill("SKU-1")
            field("quantity").locator("input").fill("7")
            field("price").locator("input").fill("19.5")
            field("amount").locator("input").fill("19.99")
            field("gift").locator("input").check()
            field("status").locator("select").select_option(label="Failure")
            tags = field("tags")
            for i, tag in enumerate(["a", "b"]):
                tags.locator("button.add").click()
                tags.locator("ol.items > li input").nth(i).fill(tag)
            field("price2").locator('[data-field="value"] input').fill("3")
            lines = field("lines")
            lines.locator("button.add").click()
            lines.locator('[data-field="sku"] input').fill("L1")
            lines.locator('[data-field="qty"] input').fill("2")
            lines.locator('[data-field="w"] input').fill("1.5")
            field("free").locator("textarea").fill('{"x": [1]}')
            body = page.evaluate("() => window.f.value()")
        finally:
            page.close()
    assert body == {
        "sku": "SKU-1", "quantity": 7, "price": 19.5, "amount": 19.99, "gift": True, "status": "Failure",
        "tags": ["a", "b"], "price2": {"value": 3}, "lines": [{"sku": "L1", "qty": 2, "dims": {"w": 1.5}}],
        "free": {"x": [1]},
    }
