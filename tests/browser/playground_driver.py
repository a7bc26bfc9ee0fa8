"""The playground driven as a person uses it, shared by tests/browser/test_playground.py and
tools/screenshot_playground.py: a real uvicorn service with the sandbox on 127.0.0.1, and the clicks.
"""
from __future__ import annotations

import asyncio
import json
import socket
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import httpx
import uvicorn

from app.main import create_app
from app.settings import Settings

TIMEOUT_MS = 30_000
STATIC = Path(__file__).resolve().parents[2] / "app" / "static" / "playground"


@contextmanager
def sandbox_service(**settings: Any) -> Iterator[str]:
    """`create_app(Settings(sandbox=True, ...))` served by uvicorn on a free 127.0.0.1 port in a thread."""
    app = create_app(Settings(sandbox=True, **{"log_level": "WARNING", **settings}))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on", timeout_graceful_shutdown=2))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        else:
            raise RuntimeError("the service did not start")
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def sandbox_order_id(base: str) -> str:
    state = httpx.get(f"{base}/sandbox/admin/state", timeout=10).json()
    return state["orders"][0]["amazonOrderId"]


def open_playground(page: Any, base: str, step: str | None = None) -> None:
    page.goto(f"{base}/playground" + (f"?step={step}" if step else ""))
    page.wait_for_selector("#step option", state="attached", timeout=TIMEOUT_MS)


def choose_step(page: Any, step: str) -> None:
    page.select_option("#step", step)
    if step.startswith("action:"):
        page.wait_for_selector(f'#message[data-ready="{step}"]', state="attached", timeout=TIMEOUT_MS)


def use_demo_credentials(page: Any) -> None:
    page.click("#demo")


def run_and_wait(page: Any) -> dict[str, Any]:
    """Click Run and wait for the stream's `end` line; returns {outcome, events: [types], snapshot}."""
    ends = page.locator("#events .event-end").count()
    page.click("#run")
    page.wait_for_function(f"document.querySelectorAll('#events .event-end').length > {ends}", timeout=TIMEOUT_MS)
    page.wait_for_function("!document.getElementById('run').disabled", timeout=TIMEOUT_MS)
    rows = page.locator("#events > li").evaluate_all("els => els.map(e => e.className.replace('event event-', ''))")
    last_request = max(i for i, r in enumerate(rows) if r == "request")
    return {"events": rows[last_request + 1:], "snapshot": json.loads(page.input_value("#snapshot")),
            "outcome": page.locator("#events").get_attribute("data-outcome")}


def fill_order_ids(page: Any, *order_ids: str) -> None:
    array = page.locator('#body-form fieldset.array[data-field="amazonOrderIds"]')
    for i, order_id in enumerate(order_ids):
        if array.locator("ol.items > li").count() <= i:
            array.locator("button.add").click()
        array.locator("ol.items > li input").nth(i).fill(order_id)


def set_mode(page: Any, mode: str) -> None:
    page.check(f'input[name="mode"][value="{mode}"]')


def set_setting(page: Any, name: str, value: str) -> None:
    page.fill(f'#config-fields [data-field="{name}"] input', value)


def tour(page: Any, base: str) -> dict[str, Any]:
    """getOrder for a sandbox order, then the trigger: one sample poll and two run polls (snapshot carried).
    Returns what each run showed, for the test to check and the screenshot to show."""
    order_id = sandbox_order_id(base)
    open_playground(page, base)
    use_demo_credentials(page)
    choose_step(page, "action:getOrder")
    fill_order_ids(page, order_id, "999-0000000-0000000")
    get_order = run_and_wait(page)
    get_order["orderId"] = order_id
    choose_step(page, "trigger:getNewAndUpdatedOrders")
    set_setting(page, "maxResultsPerPage", "3")
    set_mode(page, "sample")
    sample = run_and_wait(page)
    set_mode(page, "run")  # every order since 1970, 100 a page (3 per page would page ListOrders for a long time)
    set_setting(page, "maxResultsPerPage", "100")
    first = run_and_wait(page)
    second = run_and_wait(page)
    return {"getOrder": get_order, "sample": sample, "first": first, "second": second}
