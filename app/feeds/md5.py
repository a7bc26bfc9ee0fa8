"""Content-MD5 as MWS spells it: base64 of the MD5 digest of the exact bytes (mws-api.md §4.2)."""
from __future__ import annotations

import base64
import hashlib
import hmac


def content_md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def verify_md5(body: bytes, header: str | None) -> bool:
    """True when the `Content-MD5` header matches the body; a missing header cannot be verified."""
    if not header:
        return False
    return hmac.compare_digest(content_md5(body), header.strip())
