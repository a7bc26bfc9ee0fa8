"""Opaque NextTokens: base64 of the query and position, with a MAC so a changed token is refused.

A token records the operation family, the seller and everything needed to continue (the query and
the sort key of the last row sent), so ...ByNextToken needs nothing else. Keying the position on the
last row's (date, id) rather than an offset means rows that change between pages are neither sent
twice nor skipped within the window.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from .errors import next_token_corrupted


class TokenCodec:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def encode(self, kind: str, seller_id: str, state: dict[str, Any]) -> str:
        payload = json.dumps({"k": kind, "s": seller_id, "d": state}, separators=(",", ":"), sort_keys=True)
        tag = hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()[:24]
        return base64.b64encode(f"{payload}|{tag}".encode()).decode("ascii")

    def decode(self, kind: str, seller_id: str, token: str) -> dict[str, Any]:
        """The state put in by encode(), or 400 NextTokenCorrupted for anything else."""
        try:
            raw = base64.b64decode(token.encode("ascii"), validate=True).decode("utf-8")
            payload, tag = raw.rsplit("|", 1)
            good = hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()[:24]
            if not hmac.compare_digest(good, tag):
                raise ValueError("bad tag")
            data = json.loads(payload)
        except (ValueError, UnicodeError, binascii.Error):
            raise next_token_corrupted() from None
        if data.get("k") != kind or data.get("s") != seller_id or not isinstance(data.get("d"), dict):
            raise next_token_corrupted()
        return data["d"]
