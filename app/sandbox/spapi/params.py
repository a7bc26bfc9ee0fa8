"""Reading SP-API requests: query parameters, dates, JSON bodies, ISO dates out, and opaque tokens.

Array parameters are comma-separated (Swagger `csv`, sp-api.md §3); repeated keys are accepted too.
Every problem is a 400 InvalidInput naming the parameter, before anything is read or changed.
Tokens (searchOrders' paginationToken, getFeeds' nextToken) are base64 of JSON with a MAC, so a
changed token is refused; they carry when they were issued, so they can expire.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import datetime, timezone
from typing import Any

from .errors import invalid


class Query:
    """The query string of one request, as Amazon reads it."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.values: dict[str, list[str]] = {}
        for key, value in pairs:
            self.values.setdefault(key, []).append(value)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def names(self) -> set[str]:
        return set(self.values)

    def one(self, name: str) -> str | None:
        found = self.values.get(name)
        if not found:
            return None
        if len(found) > 1:
            raise invalid(f"{name} may be given only once")
        return found[0]

    def array(self, name: str, *, enum: tuple[str, ...] | None = None, max_items: int | None = None) -> list[str] | None:
        if name not in self.values:
            return None
        items = [v.strip() for raw in self.values[name] for v in raw.split(",")]
        if not items or any(not v for v in items):
            raise invalid(f"{name} must be a comma-separated list of non-empty values")
        if enum is not None:
            bad = [v for v in items if v not in enum]
            if bad:
                raise invalid(f"{name} has invalid value(s) {', '.join(bad)}; valid values: {', '.join(enum)}")
        if max_items is not None and len(items) > max_items:
            raise invalid(f"{name} may have at most {max_items} values")
        return items

    def integer(self, name: str, low: int, high: int, default: int) -> int:
        raw = self.one(name)
        if raw is None:
            return default
        if not raw.strip().lstrip("+-").isdigit() or not low <= int(raw) <= high:
            raise invalid(f"{name} must be a whole number from {low} to {high}")
        return int(raw)

    def date(self, name: str) -> int | None:
        raw = self.one(name)
        return None if raw is None else parse_date(name, raw)


def parse_date(name: str, raw: str) -> int:
    """ISO 8601 date-time → epoch ms; an offset-less time is UTC, as Amazon reads it."""
    text = raw.strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except (ValueError, IndexError):
        raise invalid(f"{name} must be an ISO 8601 date-time, not {raw!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return round(moment.timestamp() * 1000)


def iso(ms: int) -> str:
    """2026-01-01T12:00:00Z, or 2026-01-01T12:00:00.250Z when the time has milliseconds."""
    moment = datetime.fromtimestamp(ms // 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{moment}.{ms % 1000:03d}Z" if ms % 1000 else f"{moment}Z"


def json_body(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8")) if body.strip() else None
    except (UnicodeDecodeError, ValueError):
        raise invalid("The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise invalid("The request body must be a JSON object")
    return data


class Tokens:
    """Opaque, tamper-evident continuation tokens."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def encode(self, kind: str, state: dict[str, Any]) -> str:
        payload = json.dumps({"k": kind, "d": state}, separators=(",", ":"), sort_keys=True)
        tag = hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()[:24]
        return base64.urlsafe_b64encode(f"{payload}|{tag}".encode()).decode("ascii").rstrip("=")

    def decode(self, kind: str, token: str, name: str) -> dict[str, Any]:
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4)).decode("utf-8")
            payload, tag = raw.rsplit("|", 1)
            good = hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()[:24]
            if not hmac.compare_digest(good, tag):
                raise ValueError("bad tag")
            data = json.loads(payload)
        except (ValueError, UnicodeError, binascii.Error):
            raise invalid(f"The {name} is invalid") from None
        if data.get("k") != kind or not isinstance(data.get("d"), dict):
            raise invalid(f"The {name} is invalid")
        return data["d"]


def fingerprint(items: dict[str, Any]) -> str:
    """A short digest of request parameters, to tell whether a token is used with the same ones."""
    return hashlib.sha256(json.dumps(items, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:16]


def next_page_state(call: Any, operation: str) -> dict[str, Any] | None:
    """A list operation's `nextToken` (alone, and the caller's own) decoded; None when there is none."""
    token = call.query.one("nextToken")
    if token is None:
        return None
    if call.query.names() - {"nextToken"}:
        raise invalid("nextToken must be the only parameter when it is given", "Invalid input")
    state = call.spapi.tokens.decode(operation, token, "nextToken")
    if state.get("seller") != call.seller_id:
        raise invalid("The nextToken is invalid", "Invalid input")
    return state
