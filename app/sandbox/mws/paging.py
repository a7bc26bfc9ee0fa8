"""Opaque NextTokens in the shape of Amazon's: standard base64, always with `+` and `/` in it, and a MAC.

Real NextTokens are long standard-base64 strings full of `+`, `/` and `=`, and the commonest client
bug is sending `+` unencoded (a server then reads a space). So every sandbox token is standard
base64 and contains both `+` and `/`: it starts with a fixed 3-byte version mark that encodes to
"Mw+/". Behind the mark: the zlib-compressed state, then a 16-byte HMAC-SHA256 of it under the
sandbox's secret, so a token that was changed, cut or mis-encoded answers 400 NextTokenCorrupted.

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
import zlib
from typing import Any

from .errors import next_token_corrupted

MARK = base64.b64decode("Mw+/")      # 3 bytes: the token's first four characters are "Mw+/"
MAC_BYTES = 16


class TokenCodec:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, packed: bytes) -> bytes:
        return hmac.new(self._secret, MARK + packed, hashlib.sha256).digest()[:MAC_BYTES]

    def encode(self, kind: str, seller_id: str, state: dict[str, Any]) -> str:
        payload = json.dumps({"k": kind, "s": seller_id, "d": state}, separators=(",", ":"), sort_keys=True)
        packed = zlib.compress(payload.encode("utf-8"), 9)
        return base64.b64encode(MARK + packed + self._mac(packed)).decode("ascii")

    def decode(self, kind: str, seller_id: str, token: str) -> dict[str, Any]:
        """The state put in by encode(), or 400 NextTokenCorrupted for anything else."""
        try:
            raw = base64.b64decode(token.encode("ascii"), validate=True)
            if not raw.startswith(MARK) or len(raw) <= len(MARK) + MAC_BYTES:
                raise ValueError("not a sandbox token")
            packed, tag = raw[len(MARK):-MAC_BYTES], raw[-MAC_BYTES:]
            if not hmac.compare_digest(self._mac(packed), tag):
                raise ValueError("bad tag")
            data = json.loads(zlib.decompress(packed).decode("utf-8"))
        except (ValueError, UnicodeError, binascii.Error, zlib.error):
            raise next_token_corrupted() from None
        if not isinstance(data, dict) or data.get("k") != kind or data.get("s") != seller_id \
                or not isinstance(data.get("d"), dict):
            raise next_token_corrupted()
        return data["d"]
