"""What the SP-API step tests share: the demo app's credentials, the calls told apart by path, the
out-schema an SP-API cfg is answered with."""
from __future__ import annotations

from typing import Any

import jsonschema

from app.sandbox.spapi import LWA_DEMO

SPAPI: dict[str, str] = {**LWA_DEMO, "sellerId": "A1SANDBOXSELLER", "marketplaceId": "ATVPDKIKX0DER"}
TOKEN = "/sandbox/lwa/token"
API = "/sandbox/sp-api"
SEARCH = f"{API}/orders/2026-01-01/orders"
FEEDS = f"{API}/feeds/2021-06-30"


def calls_to(svc, path: str, method: str | None = None) -> list:
    """The recorded requests to `path` (a prefix), optionally by method."""
    return [c for c in svc.calls if c.path.startswith(path) and (method is None or c.method == method)]


def token_calls(svc) -> int:
    return len(calls_to(svc, TOKEN))


def searches(svc) -> list:
    return [c for c in calls_to(svc, SEARCH, "GET") if c.path == SEARCH]


async def spapi_out_validator(svc, kind: str, key: str, cfg: dict[str, Any] | None = None,
                              ) -> jsonschema.Draft202012Validator:
    response = await svc.client.post(f"/{kind}/{key}/metadata?view=full", json={"cfg": cfg or SPAPI})
    assert response.status_code == 200, response.text
    return jsonschema.Draft202012Validator(response.json()["out"])
