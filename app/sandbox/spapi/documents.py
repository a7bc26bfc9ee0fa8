"""Feed documents and the pre-signed URLs that reach them, served at /sandbox/documents/{id}.

createFeedDocument hands out an upload URL (PUT) and getFeedDocument a download URL (GET), each
valid `URL_SECONDS` of sandbox time, like Amazon's pre-signed S3 URLs. The sandbox answers as S3
would: a URL is good for its own method only; the upload must carry the Content-Type the document
was created with (S3 signs it), else 403 SignatureDoesNotMatch; an expired URL is 403 AccessDenied;
errors are S3's XML `<Error><Code/><Message/><RequestId/><HostId/></Error>`.
"""
from __future__ import annotations

import hashlib
import hmac
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, urlencode
from xml.sax.saxutils import escape

from .seams import read_body

PREFIX = "/sandbox/documents"
URL_SECONDS = 300
SIGNATURE_MISMATCH = ("The request signature we calculated does not match the signature you provided. "
                      "Check your key and signing method.")


@dataclass
class Document:
    document_id: str
    seller_id: str
    content_type: str
    created_ms: int
    body: bytes | None = None
    compression: str | None = None       # "GZIP" for result documents
    result: bool = False                 # written by the sandbox (a processing report), never uploaded


class DocumentStore:
    def __init__(self, seed: int, secret: bytes) -> None:
        self._rng = random.Random(f"{seed}/spapi-documents")
        self._secret = secret
        self.documents: dict[str, Document] = {}

    def create(self, seller_id: str, content_type: str, now_ms: int, *, body: bytes | None = None,
               compression: str | None = None) -> Document:
        doc_id = f"amzn1.tortuga.4.na.{uuid.UUID(int=self._rng.getrandbits(128), version=4)}"
        document = Document(doc_id, seller_id, content_type, now_ms, body, compression, result=body is not None)
        self.documents[doc_id] = document
        return document

    def get(self, seller_id: str, document_id: str) -> Document | None:
        found = self.documents.get(document_id)
        return found if found is not None and found.seller_id == seller_id else None

    def _sign(self, method: str, document_id: str, date: str, extra: str) -> str:
        text = f"{method}\n{document_id}\n{date}\n{URL_SECONDS}\n{extra}"
        return hmac.new(self._secret, text.encode(), hashlib.sha256).hexdigest()

    def url(self, base_url: str, document: Document, method: str, now_ms: int, gzip_header: bool = False) -> str:
        date = datetime.fromtimestamp(now_ms // 1000, tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        query = {"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Date": date, "X-Amz-Expires": str(URL_SECONDS),
                 "X-Amz-SignedHeaders": "content-type;host" if method == "PUT" else "host"}
        extra = "gzip" if gzip_header else ""
        if gzip_header:
            query["response-content-encoding"] = "gzip"
        query["X-Amz-Signature"] = self._sign(method, document.document_id, date, extra)
        return f"{base_url}{PREFIX}/{document.document_id}?{urlencode(query)}"

    def check(self, method: str, document_id: str, query: dict[str, str], now_ms: int) -> str | None:
        """None when the URL is one the sandbox handed out for `method` and is still valid, else the S3 code."""
        date, signature = query.get("X-Amz-Date", ""), query.get("X-Amz-Signature", "")
        if not date or not signature:
            return "AccessDenied"
        extra = query.get("response-content-encoding", "")
        if not hmac.compare_digest(self._sign(method, document_id, date, extra), signature):
            return "SignatureDoesNotMatch"
        issued = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc).timestamp() * 1000
        return "ExpiredRequest" if now_ms > issued + URL_SECONDS * 1000 else None


def s3_error(code: str, message: str, request_id: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
            f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"<RequestId>{request_id}</RequestId><HostId>{escape(request_id[::-1])}</HostId></Error>").encode()


def documents_app(store: DocumentStore, now_ms):
    """The ASGI app mounted at /sandbox/documents: PUT (upload) and GET (download) by pre-signed URL."""

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        request_id = uuid.uuid4().hex[:16].upper()
        method = scope.get("method", "GET")
        document_id = scope.get("path", "").rstrip("/").rsplit("/", 1)[-1]
        query = dict(parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace")))
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        status, out, extra = _answer(store, method, document_id, query, headers, body, now_ms(), request_id)
        head = [(b"x-amz-request-id", request_id.encode()), (b"x-amz-id-2", request_id[::-1].encode()),
                (b"content-length", str(len(out)).encode()), *[(k.encode(), v.encode()) for k, v in extra.items()]]
        await send({"type": "http.response.start", "status": status, "headers": head})
        await send({"type": "http.response.body", "body": out})

    return app


def _answer(store: DocumentStore, method: str, document_id: str, query: dict[str, str], headers: dict[str, str],
            body: bytes, now: int, request_id: str) -> tuple[int, bytes, dict[str, Any]]:
    xml = {"content-type": "application/xml"}
    if method not in ("PUT", "GET"):
        return 405, s3_error("MethodNotAllowed", "The specified method is not allowed against this resource.",
                             request_id), xml
    problem = store.check(method, document_id, query, now)
    if problem == "ExpiredRequest":
        return 403, s3_error("AccessDenied", "Request has expired", request_id), xml
    if problem == "AccessDenied":
        return 403, s3_error("AccessDenied", "Access Denied", request_id), xml
    if problem is not None:
        return 403, s3_error("SignatureDoesNotMatch", SIGNATURE_MISMATCH, request_id), xml
    document = store.documents.get(document_id)
    if document is None:
        return 404, s3_error("NoSuchKey", "The specified key does not exist.", request_id), xml
    if method == "PUT":
        # S3 signs the Content-Type of a pre-signed PUT: any other value (even another charset spelling) fails.
        if document.result or " ".join(headers.get("content-type", "").split()) != " ".join(document.content_type.split()):
            return 403, s3_error("SignatureDoesNotMatch", SIGNATURE_MISMATCH, request_id), xml
        document.body = body
        return 200, b"", {"etag": f'"{hashlib.md5(body).hexdigest()}"'}
    if document.body is None:
        return 404, s3_error("NoSuchKey", "The specified key does not exist.", request_id), xml
    extra = {"content-type": document.content_type, "etag": f'"{hashlib.md5(document.body).hexdigest()}"'}
    if query.get("response-content-encoding"):
        extra["content-encoding"] = query["response-content-encoding"]
    return 200, document.body, extra
