"""Content-MD5 as MWS spells it, both ways: base64 of the MD5 digest of the exact bytes — the
ContentMD5Value of a SubmitFeed, the Content-MD5 header of a feed result (mws-api.md §4.2, §4.4)."""
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
