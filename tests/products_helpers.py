"""The product actions' test bench: the real component over an in-process sandbox on a virtual clock,
with MWS_XSD_DIR on or off for BOTH sides (the service's Settings and the sandbox's own XSD check).

    svc = await make_product_service(xsd=True, response_check_delay_ms=..., step_timeout_ms=...)
    result = await svc.action("submitProduct", product, cfg=product_cfg("Toys"))
    await in_schema(svc, "submitProduct", {"category": "Toys"})   # POST .../metadata, the "in" schema

It is the orders bench (tests/orders_helpers.py make_service) with XSDs given to the sandbox too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from app.sandbox import DEMO
from orders_helpers import Call, OrdersService
from tests.conftest import SHARED, require_shared

QUIET = 10**9  # order_every: no new orders while a test runs


def product_cfg(category: str | None = None, operation: str | None = None) -> dict[str, Any]:
    cfg: dict[str, Any] = dict(DEMO)
    if category is not None:
        cfg["category"] = category
    if operation is not None:
        cfg["operation"] = operation
    return cfg


@pytest.fixture
def product_xsd_dir() -> Path:
    return require_shared(SHARED / "amazon-reference" / "xsd" / "amzn-envelope.xsd").parent


@pytest.fixture
async def make_product_service(make_service, product_xsd_dir: Path):
    """make_product_service(xsd=True, sandbox_xsd=None, **settings) -> OrdersService; xsd=False runs
    the service with Settings(mws_xsd_dir=None) and (unless sandbox_xsd) the sandbox with xsd_dir=None."""

    async def make(xsd: bool = True, sandbox_xsd: bool | None = None, **settings: Any) -> OrdersService:
        # sandbox_xsd: the sandbox's own check (default: as the service); Amazon always validates.
        sandbox_folder = product_xsd_dir if (xsd if sandbox_xsd is None else sandbox_xsd) else None
        return await make_service(order_every=QUIET, sandbox_xsd_dir=sandbox_folder,
                                  mws_xsd_dir=product_xsd_dir if xsd else None, **settings)

    return make


async def metadata(svc: OrdersService, key: str, cfg: dict[str, Any]) -> dict[str, Any]:
    # ?view=full: the schemas validation uses (the served default is the builder projection).
    response = await svc.client.post(f"/actions/{key}/metadata?view=full", json={"cfg": cfg})
    assert response.status_code == 200, response.text
    return response.json()


async def select(svc: OrdersService, key: str, field: str) -> dict[str, str]:
    response = await svc.client.post("/select-model", json={"step": key, "field": field, "cfg": {}})
    assert response.status_code == 200, response.text
    return response.json()["model"]


async def execute(svc: OrdersService, key: str, body: dict[str, Any], cfg: dict[str, Any],
                  snapshot: dict[str, Any] | None = None) -> httpx.Response:
    payload = {"cfg": cfg, "msg": {"body": body, "headers": {}}, "snapshot": snapshot or {}, "mode": "run"}
    return await svc.client.post(f"/actions/{key}/execute", json=payload)


async def run(svc: OrdersService, key: str, body: dict[str, Any], cfg: dict[str, Any],
              snapshot: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await execute(svc, key, body, cfg, snapshot)
    assert response.status_code == 200, response.text
    return response.json()


def catalog(svc: OrdersService) -> dict[str, dict[str, Any]]:
    return {item["sku"]: item for item in svc.sandbox.state()["catalog"]}


def submits(svc: OrdersService) -> list[Call]:
    return [c for c in svc.calls if c.action == "SubmitFeed"]


def the_data(result: dict[str, Any]) -> dict[str, Any]:
    (body,) = [e["body"] for e in result["events"] if e["type"] == "data"]
    return body
