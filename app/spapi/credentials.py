"""The seller's SP-API credentials, taken from a step's cfg; redacted at the source.

`repr()` never shows the client secret or the refresh token. `fingerprint` tells two sets of
credentials apart (pacing buckets, the LWA token cache) by a keyed hash, never the secrets in clear,
and `mask` blanks every credential value, and any access token, out of a text an endpoint sent back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import quote, quote_plus

from app.mws.credentials import MASK
from app.pacing.fingerprint import fingerprint

REQUIRED = ("lwaClientId", "lwaClientSecret", "refreshToken", "sellerId", "marketplaceId")


def _text(cfg: Mapping[str, Any], key: str) -> str:
    value = cfg.get(key)
    return "" if value is None else str(value).strip()


@dataclass(frozen=True, repr=False)
class SpapiCredentials:
    client_id: str
    client_secret: str = field(compare=False)
    refresh_token: str = field(compare=False)
    seller_id: str = ""
    marketplace_id: str = ""

    @classmethod
    def from_cfg(cls, cfg: Mapping[str, Any]) -> "SpapiCredentials":
        return cls(_text(cfg, "lwaClientId"), _text(cfg, "lwaClientSecret"), _text(cfg, "refreshToken"),
                   _text(cfg, "sellerId"), _text(cfg, "marketplaceId"))

    @property
    def fingerprint(self) -> str:
        """A keyed hash of client id, client secret and refresh token: the LWA token's cache key."""
        return fingerprint(self.client_id, self.client_secret, self.refresh_token)

    def mask(self, text: str | None, *extra: str) -> str | None:
        """`text` with the secret, the refresh token and `extra` values (access tokens) blanked,
        raw or URL-encoded."""
        if not text:
            return text
        values = [v for v in (self.client_secret, self.refresh_token, *extra) if v]
        forms = {f(v) for v in values for f in (str, quote_plus, lambda v: quote(v, safe=""))}
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, MASK)
        return text

    def __repr__(self) -> str:
        return (f"SpapiCredentials(client_id={self.client_id!r}, client_secret='***', refresh_token='***', "
                f"seller_id={self.seller_id!r}, marketplace_id={self.marketplace_id!r})")

    __str__ = __repr__
