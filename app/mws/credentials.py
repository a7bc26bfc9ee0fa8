"""The seller's MWS credentials, taken from a step's cfg; redacted at the source.

`repr()`/`str()` never show the secret key or the MWS auth token, so a credentials object that ends
up in a log line, a traceback or an f-string leaks nothing. `fingerprint` tells two sets of
credentials apart (pacing buckets) by a keyed hash, and `mask` blanks every credential value out of
a text an endpoint sent back (an error message that echoes the request).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import quote, quote_plus

from app.mws.errors import RequestError
from app.pacing.fingerprint import fingerprint

REQUIRED = ("sellerId", "accessKeyId", "secretAccessKey", "marketplaceId")
MASK = "***"


def _text(cfg: Mapping[str, Any], key: str) -> str:
    value = cfg.get(key)
    return "" if value is None else str(value).strip()


@dataclass(frozen=True, repr=False)
class Credentials:
    seller_id: str
    access_key_id: str
    secret_access_key: str = field(compare=False)
    mws_auth_token: str = field(default="", compare=False)
    marketplace_id: str = ""
    endpoint_url: str | None = None

    @classmethod
    def from_cfg(cls, cfg: Mapping[str, Any]) -> "Credentials":
        """From cfg keys sellerId, accessKeyId, secretAccessKey, mwsAuthToken?, marketplaceId, endpointUrl?."""
        missing = [key for key in REQUIRED if not _text(cfg, key)]
        if missing:
            raise RequestError(
                f"credentials lack {', '.join(missing)}", code="MissingParameter"
            )
        return cls(
            seller_id=_text(cfg, "sellerId"),
            access_key_id=_text(cfg, "accessKeyId"),
            secret_access_key=_text(cfg, "secretAccessKey"),
            mws_auth_token=_text(cfg, "mwsAuthToken"),
            marketplace_id=_text(cfg, "marketplaceId"),
            endpoint_url=_text(cfg, "endpointUrl") or None,
        )

    @property
    def fingerprint(self) -> str:
        """A keyed hash of access key id, secret and auth token: equal only for the same three."""
        return fingerprint(self.access_key_id, self.secret_access_key, self.mws_auth_token)

    def mask(self, text: str | None) -> str | None:
        """`text` with the auth token, secret and access key id (as sent: raw or URL-encoded) blanked."""
        if not text:
            return text
        forms = {f(v) for v in (self.mws_auth_token, self.secret_access_key, self.access_key_id) if v
                 for f in (str, lambda v: quote(v, safe="-_.~"), quote_plus, lambda v: quote(v, safe=""))}
        forms |= {re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), f) for f in forms}  # %2f as well as %2F
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, MASK)
        return text

    def __repr__(self) -> str:
        token = "'***'" if self.mws_auth_token else "''"
        return (
            f"Credentials(seller_id={self.seller_id!r}, access_key_id={self.access_key_id!r}, "
            f"secret_access_key='***', mws_auth_token={token}, "
            f"marketplace_id={self.marketplace_id!r}, endpoint_url={self.endpoint_url!r})"
        )

    __str__ = __repr__
