"""An independent MWS caller for the sandbox tests: its own Signature V2 signer (never app.mws).

Written from ../shared/reference/mws-api.md §1.3 and checked against its signing vector C, so the
sandbox's verifier is tested against a second implementation rather than against itself.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from datetime import datetime, timezone
from typing import Any

import httpx
from lxml import etree

from app.sandbox import DEMO

ORDERS = "/Orders/2013-09-01"
SELLERS = "/Sellers/2011-07-01"
FEEDS = "/Feeds/2009-01-01"
VERSIONS = {ORDERS: "2013-09-01", SELLERS: "2011-07-01", FEEDS: "2009-01-01", "/": "2009-01-01"}
ORDERS_NS = "https://mws.amazonservices.com/Orders/2013-09-01"
SELLERS_NS = "https://mws.amazonservices.com/Sellers/2011-07-01"
FEEDS_NS = "http://mws.amazonaws.com/doc/2009-01-01/"


def sign(method: str, host: str, path: str, params: dict[str, str], secret: str, algo: str = "HmacSHA256") -> str:
    def enc(s: str) -> str:
        return urllib.parse.quote(str(s), safe="-_.~")

    canonical = "&".join(f"{enc(k)}={enc(params[k])}" for k in sorted(params) if k != "Signature")
    text = "\n".join([method.upper(), host.lower(), path or "/", canonical])
    digest = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}[algo]
    return base64.b64encode(hmac.new(secret.encode(), text.encode(), digest).digest()).decode()


def iso(epoch: float) -> str:
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(epoch * 1000) % 1000:03d}Z"


class Caller:
    """Builds, signs and sends MWS requests the way a correct client does; each knob can be broken."""

    def __init__(self, http: httpx.AsyncClient, clock, creds: dict[str, str] | None = None,
                 prefix: str = "", host: str = "sandbox.test") -> None:
        self.http, self.clock, self.creds, self.prefix, self.host = http, clock, dict(creds or DEMO), prefix, host

    def params(self, path: str, action: str, extra: dict[str, Any] | None = None, **over: Any) -> dict[str, str]:
        p = {"AWSAccessKeyId": self.creds["accessKeyId"], "Action": action, "SellerId": self.creds["sellerId"],
             "MWSAuthToken": self.creds.get("mwsAuthToken"), "SignatureMethod": "HmacSHA256",
             "SignatureVersion": "2", "Timestamp": iso(self.clock.time()), "Version": VERSIONS.get(path, "x")}
        p.update({k: str(v) for k, v in (extra or {}).items()})
        p.update(over)
        return {k: v for k, v in p.items() if v is not None}

    async def call(self, path: str, action: str, extra: dict[str, Any] | None = None, *, method: str = "POST",
                   secret: str | None = None, sign_path: str | None = None, sign_host: str | None = None,
                   tamper: dict[str, str] | None = None, signature: str | None = None, **over: Any) -> httpx.Response:
        p = self.params(path, action, extra, **over)
        full = self.prefix + path
        p["Signature"] = signature if signature is not None else sign(
            method, sign_host or self.host, sign_path or full, p, secret or self.creds["secretAccessKey"],
            p.get("SignatureMethod", "HmacSHA256") if p.get("SignatureMethod") in ("HmacSHA256", "HmacSHA1")
            else "HmacSHA256")
        p.update(tamper or {})
        url = f"http://{self.host}{full}"
        if method == "GET":
            return await self.http.get(url, params=p)
        body = urllib.parse.urlencode(p, quote_via=urllib.parse.quote, safe="-_.~")
        return await self.http.post(url, content=body.encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

    async def submit(self, body: bytes, extra: dict[str, Any] | None = None, *, path: str = FEEDS,
                     md5: str | None = "auto", header_md5: str | None = None, method: str = "POST",
                     content_type: str = "text/xml", **over: Any) -> httpx.Response:
        """SubmitFeed as a correct client sends it: the signed parameters in the query, the feed as the body."""
        extra = dict(extra or {})
        if md5 == "auto":
            md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
        if md5 is not None:
            extra["ContentMD5Value"] = md5
        p = self.params(path, "SubmitFeed", extra, **over)
        full = self.prefix + path
        p["Signature"] = sign(method, self.host, full, p, self.creds["secretAccessKey"])
        headers = {"Content-Type": content_type, **({"Content-MD5": header_md5} if header_md5 else {})}
        query = urllib.parse.urlencode(p, quote_via=urllib.parse.quote, safe="-_.~")
        return await self.http.request(method, f"http://{self.host}{full}?{query}", content=body, headers=headers)


def xml(response: httpx.Response) -> etree._Element:
    return etree.fromstring(response.content)


def text(doc: etree._Element, local_path: str) -> str | None:
    """Text of the first element at a namespace-free path like 'ListOrdersResult/LastUpdatedBefore'."""
    found = doc.xpath("/*/" + "/".join(f"*[local-name()='{p}']" for p in local_path.split("/")))
    return found[0].text if found else None


def texts(doc: etree._Element, tag: str) -> list[str]:
    return [e.text for e in doc.iter(f"{{*}}{tag}")]


def error_code(response: httpx.Response) -> str | None:
    return text(xml(response), "Error/Code")
