"""Who may call the sandbox, and Signature Version 2 verification (its own; never the client's).

Order of checks, as MWS does them: developer key → signature → Timestamp window → seller/token grant.
The signature is recomputed over exactly the parameters received (form body, or the query for GET
and SubmitFeed), the lowercased Host header as sent (with its port when it has one) and the full path
the sandbox is served at (the mount prefix included), with the SignatureMethod the client named.
The Timestamp is checked against the real wall clock, not the sandbox clock: it guards the signature,
while the sandbox clock only drives data and quotas.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Callable, Mapping
from urllib.parse import quote

from . import xmlgen
from .errors import SIGNATURE_MISMATCH, MWSError, invalid, missing

MAX_SKEW_SECONDS = 15 * 60
_DIGESTS = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}


@dataclass(frozen=True)
class Seller:
    seller_id: str
    auth_token: str | None              # None: the developer key is the seller's own, no token needed
    marketplaces: tuple[str, ...]       # participations, in the order ListMarketplaceParticipations lists them


@dataclass
class Developer:
    access_key_id: str
    secret: str
    sellers: dict[str, Seller] = field(default_factory=dict)


def canonical_query(params: Mapping[str, str]) -> str:
    enc = lambda s: quote(str(s), safe="-_.~")  # noqa: E731 - RFC 3986, %20 for space, uppercase hex
    return "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()) if k != "Signature")


def signature(method: str, host: str, path: str, params: Mapping[str, str], secret: str,
              signature_method: str = "HmacSHA256") -> str:
    string_to_sign = "\n".join([method.upper(), host.lower(), path or "/", canonical_query(params)])
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), _DIGESTS[signature_method])
    return base64.b64encode(digest.digest()).decode("ascii")


def authenticate(developers: Mapping[str, Developer], params: Mapping[str, str], *, method: str,
                 host: str, path: str, wall: Callable[[], float], section: str, action: str,
                 ) -> tuple[Developer, Seller]:
    """Return the (developer, seller) pair of a well-signed, granted request, or raise MWSError."""
    key = params.get("AWSAccessKeyId")
    if not key:
        raise missing("AWSAccessKeyId")
    developer = developers.get(key)
    if developer is None:
        raise MWSError("InvalidAccessKeyId",
                       "The AWS Access Key Id you provided does not exist in our records.")
    if not params.get("Signature"):
        raise missing("Signature")
    if params.get("SignatureVersion") != "2":
        raise invalid("SignatureVersion must be 2")
    sig_method = params.get("SignatureMethod", "")
    if sig_method not in _DIGESTS:
        raise invalid(f"Invalid SignatureMethod: {sig_method or '(missing)'}; use HmacSHA256 or HmacSHA1")
    expected = signature(method, host, path, params, developer.secret, sig_method)
    if not hmac.compare_digest(expected.encode(), params["Signature"].encode()):
        raise MWSError("SignatureDoesNotMatch", SIGNATURE_MISMATCH)
    _check_timestamp(params.get("Timestamp"), wall)
    seller_id = params.get("SellerId") or params.get("Merchant")
    if not seller_id:
        raise missing("SellerId")
    seller = developer.sellers.get(seller_id)
    token = params.get("MWSAuthToken")
    if seller is None or (seller.auth_token is not None and token != seller.auth_token) \
            or (seller.auth_token is None and token):
        raise MWSError("AccessDenied", f"Access to {section}.{action} is denied")
    return developer, seller


def _check_timestamp(value: str | None, wall: Callable[[], float]) -> None:
    if not value:
        raise MWSError("MalformedInput", "timestamp must follow ISO8601")
    try:
        sent_ms = xmlgen.parse_iso_ms(value)
    except ValueError:
        raise MWSError("MalformedInput", "timestamp must follow ISO8601") from None
    now_ms = int(wall() * 1000)
    if sent_ms < now_ms - MAX_SKEW_SECONDS * 1000:
        raise MWSError("RequestExpired",
                       f"Request signature is too far in the past and has expired. Timestamp date: {value}")
    if sent_ms > now_ms + MAX_SKEW_SECONDS * 1000:
        raise MWSError("RequestExpired",
                       f"Request signature is too far in the future and has expired. Timestamp date: {value}")
