"""The wire model: each backend's wire facts as JSON data, read by its client and by the sandbox's twin.

    from app.model import load
    load("mws", "throttle")["groups"]["ListOrders"]   # {"max": 6, "restorePerSecond": 0.0166...}

`app/model/<backend>/<name>.json` holds operations, namespaces and versions, throttle groups and
quotas, feed types, marketplaces and error codes. Plain data and the standard library only: it
imports nothing from app.mws or app.sandbox, so both sides can read it without reading each other.
Callers get the one cached parsed document; treat it as read-only (copy before changing it).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["MODEL_DIR", "load", "path"]

MODEL_DIR = Path(__file__).resolve().parent


def path(backend: str, name: str) -> Path:
    """The file of `name` ("throttle") in `backend` ("mws")."""
    return MODEL_DIR / backend / f"{name}.json"


@lru_cache(maxsize=None)
def load(backend: str, name: str) -> Any:
    """The parsed `app/model/<backend>/<name>.json`, read once per process."""
    with open(path(backend, name), encoding="utf-8") as fh:
        return json.load(fh)
