"""MWS Signature Version 2 as an `httpx.Auth` (mws-api.md §1.3).

The client builds a request carrying only the operation's own parameters (Action, Version, ...):
in a form body (`application/x-www-form-urlencoded`) for every operation, or in the query string
for SubmitFeed, whose body is the raw feed. This auth adds the credential parameters, the
Timestamp and, for a raw body, `ContentMD5Value`, signs exactly the parameters that travel (the
form body, or the query only), and writes them back canonically encoded with the Signature.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import datetime, timezone
from typing import Callable, Generator, Iterable, Mapping
from urllib.parse import parse_qsl, quote

import httpx

from app.mws.credentials import Credentials
from app.mws.md5 import content_md5

FORM_TYPE = "application/x-www-form-urlencoded"
FORM_CONTENT_TYPE = f"{FORM_TYPE}; charset=utf-8"
_DIGESTS = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}


def encode(value: object) -> str:
    """RFC 3986 percent-encoding: unreserved characters kept, everything else %XY (uppercase hex)."""
    return quote(str(value), safe="-_.~")


def canonical_query(params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """Every parameter but Signature, sorted by name in byte order, `name=value` joined by `&`."""
    pairs = params.items() if isinstance(params, Mapping) else params
    # Sort the names as given (code-point order is UTF-8 byte order), then encode: sorting the
    # encoded forms would put "%C3..." before "b".
    ordered = sorted((str(k), str(v)) for k, v in pairs if k != "Signature")
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in ordered)


def string_to_sign(method: str, host: str, path: str, params: Mapping[str, str]) -> str:
    return "\n".join([method.upper(), host.lower(), path or "/", canonical_query(params)])


def sign(string: str, secret: str, method: str = "HmacSHA256") -> str:
    try:
        digest = _DIGESTS[method]
    except KeyError:
        raise ValueError(f"unsupported SignatureMethod {method}") from None
    mac = hmac.new(secret.encode("utf-8"), string.encode("utf-8"), digest)
    return base64.b64encode(mac.digest()).decode("ascii")


def timestamp(epoch_seconds: float) -> str:
    """ISO-8601 UTC with milliseconds and `Z`, e.g. 2020-05-28T11:22:24.768Z."""
    dt = datetime.fromtimestamp(epoch_seconds, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def host_of(url: httpx.URL) -> str:
    """Lower-cased host, with the port only when it is not the scheme's default."""
    host = url.host.lower()
    return f"{host}:{url.port}" if url.port is not None else host


class SignatureV2(httpx.Auth):
    """Signs each request as it is sent; every retry gets a fresh Timestamp."""

    requires_request_body = True

    def __init__(
        self,
        credentials: Credentials,
        *,
        method: str = "HmacSHA256",
        now: Callable[[], float] = time.time,
    ) -> None:
        if method not in _DIGESTS:
            raise ValueError(f"unsupported SignatureMethod {method}")
        self.credentials = credentials
        self.method = method
        # The real wall clock by default: Amazon (and the sandbox) check the Timestamp against
        # theirs, whatever virtual clock the client paces itself with.
        self.now = now

    def signed_params(self, params: dict[str, str], method: str, url: httpx.URL) -> dict[str, str]:
        c = self.credentials
        out = dict(params)
        out.pop("Signature", None)
        out.setdefault("AWSAccessKeyId", c.access_key_id)
        if "Merchant" not in out:
            out.setdefault("SellerId", c.seller_id)
        if c.mws_auth_token:
            out.setdefault("MWSAuthToken", c.mws_auth_token)
        out["SignatureMethod"] = self.method
        out["SignatureVersion"] = "2"
        out.setdefault("Timestamp", timestamp(self.now()))
        path = url.raw_path.split(b"?", 1)[0].decode("ascii") or "/"
        sts = string_to_sign(method, host_of(url), path, out)
        out["Signature"] = sign(sts, c.secret_access_key, self.method)
        return out

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        content_type = request.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() == FORM_TYPE:
            params = dict(parse_qsl(request.content.decode("utf-8"), keep_blank_values=True))
            signed = self.signed_params(params, request.method, request.url)
            body = _encode_pairs(signed).encode("ascii")
            request.stream = httpx.ByteStream(body)
            request._content = body  # keep .content consistent with the stream we send
            request.headers["Content-Type"] = FORM_CONTENT_TYPE
            request.headers["Content-Length"] = str(len(body))
        else:
            params = dict(parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True))
            if request.content and "ContentMD5Value" not in params:
                params["ContentMD5Value"] = content_md5(request.content)
            signed = self.signed_params(params, request.method, request.url)
            request.url = request.url.copy_with(query=_encode_pairs(signed).encode("ascii"))
        yield request


def _encode_pairs(params: Mapping[str, str]) -> str:
    return canonical_query(params) + "&Signature=" + encode(params["Signature"])
