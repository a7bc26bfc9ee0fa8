"""The key of the credentials' fingerprints (a pacing bucket's and an LWA token's identity).

Random per process by default, so a fingerprint says nothing outside it. Replicas that share their
quota through Redis must agree on it, or one seller's calls would land in a different bucket per
replica: the Redis store then takes one random key kept in Redis itself (`use_key`). The key is
never logged; the fingerprint is an HMAC-SHA256, from which no secret can be read back."""
from __future__ import annotations

import hashlib
import hmac
import secrets

_key = secrets.token_bytes(32)


def fingerprint(*parts: str) -> str:
    return hmac.new(_key, "\0".join(parts).encode(), hashlib.sha256).hexdigest()


def use_key(key: bytes) -> None:
    """Fingerprints from now on are made with `key` (at least 32 bytes, shared by the replicas)."""
    global _key
    if len(key) < 32:
        raise ValueError("a fingerprint key has at least 32 bytes")
    _key = bytes(key)
