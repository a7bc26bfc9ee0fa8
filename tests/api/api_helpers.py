"""Shared by the step-API tests: the fixture component, a canary secret, valid credentials."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

FIXTURE = Path(__file__).resolve().parent.parent / "runtime" / "fixtures" / "component.json"
CANARY = "CANARY-SECRET-123"


def creds(**extra: Any) -> dict[str, Any]:
    cfg = {
        "sellerId": "A1SELLER", "accessKeyId": "AKIAEXAMPLE", "secretAccessKey": CANARY,
        "mwsAuthToken": f"amzn.mws.{CANARY}", "marketplaceId": "ATVPDKIKX0DER", "_account": "acc-1",
    }
    cfg.update(extra)
    return cfg


def offline(request: httpx.Request) -> httpx.Response:
    return httpx.Response(599, text="tests never touch the network")
