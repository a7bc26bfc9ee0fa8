"""The one catalogue of MWS errors the sandbox answers, and their `ErrorResponse` XML.

Every code has one entry (HTTP status, Type); handlers raise `MWSError(code, message)` and the app
renders it with the request id both in the body and in `x-mws-request-id`. Messages are Amazon's
real texts where one is known (../reference/mws-api.md §5). Every code here is in the shared error
table app/model/mws/errors.json, which the client reads (tests/sandbox/test_wire_model.py).

Two body forms, as Amazon sends them:
- most errors: the section's namespace, `<Type>Sender|Receiver</Type>`, an empty `<Detail/>`, `<RequestId>`
  (the spelling the section uses);
- throttles (503 RequestThrottled, QuotaExceeded): an EMPTY `<Type></Type>`, no `<Detail/>`, and
  `<RequestID>`; QuotaExceeded has no namespace at all.
"""
from __future__ import annotations

from . import xmlgen

ROOT_NAMESPACE = "https://mws.amazonservices.com/"

SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

# code → (HTTP status, Type). Type "" is the empty <Type/> of throttles.
CATALOGUE: dict[str, tuple[int, str]] = {
    "InvalidParameterValue": (400, "Sender"),
    "MissingParameter": (400, "Sender"),
    "MalformedInput": (400, "Sender"),
    "RequestExpired": (400, "Sender"),
    "NextTokenCorrupted": (400, "Sender"),
    "ValidationError": (400, "Sender"),
    "InvalidRequest": (400, "Sender"),
    "ContentMD5Missing": (400, "Sender"),
    "ContentMD5DoesNotMatch": (400, "Sender"),
    "InvalidFeedSubmissionId": (400, "Sender"),
    "FeedCanceled": (400, "Sender"),
    "FeedProcessingResultNotReady": (400, "Sender"),
    "InvalidReportId": (400, "Sender"),
    "InvalidReportRequestId": (400, "Sender"),
    "AccessDenied": (401, "Sender"),
    "InvalidAccessKeyId": (403, "Sender"),
    "SignatureDoesNotMatch": (403, "Sender"),
    "InvalidAddress": (404, "Sender"),
    "InternalError": (500, "Receiver"),
    "RequestThrottled": (503, ""),
    "QuotaExceeded": (503, ""),
}
THROTTLES = frozenset({"RequestThrottled", "QuotaExceeded"})


class MWSError(Exception):
    """An MWS error answer; `code` must be in CATALOGUE, which gives its status and Type."""

    def __init__(self, code: str, message: str) -> None:
        status, type_ = CATALOGUE[code]
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.type = type_
        self.quota_headers: dict[str, str] = {}   # hourly groups report x-mws-quota-* on errors too


def missing(name: str) -> MWSError:
    return MWSError("MissingParameter", f"The parameter {name} is required but was not present.")


def invalid(message: str) -> MWSError:
    return MWSError("InvalidParameterValue", message)


def throttled() -> MWSError:
    return MWSError("RequestThrottled", "Request is throttled")


def internal() -> MWSError:
    return MWSError("InternalError", "We encountered an internal error. Please try again.")


def next_token_corrupted() -> MWSError:
    return MWSError("NextTokenCorrupted", "The NextToken is corrupted or has expired.")


def invalid_address(path: str, why: str = "") -> MWSError:
    """404 for a path or version the sandbox does not serve, e.g. "... API Version is missing"."""
    return MWSError("InvalidAddress", f"Resource {path} is not found on this server.{' ' + why if why else ''}")


def error_body(err: MWSError, namespace: str | None, request_id: str, id_tag: str = "RequestId") -> bytes:
    """`<ErrorResponse><Error><Type/><Code/><Message/><Detail/>?</Error><RequestId/></ErrorResponse>`.

    Throttles take Amazon's throttle form whatever `namespace` and `id_tag` say (module docstring).
    """
    throttle = err.code in THROTTLES
    if throttle:
        id_tag = "RequestID"
        namespace = None if err.code == "QuotaExceeded" else namespace
    doc = xmlgen.root("ErrorResponse", namespace)
    error = xmlgen.sub(doc, "Error")
    xmlgen.subs(error, [("Type", err.type), ("Code", err.code), ("Message", err.message)])
    if not throttle:
        xmlgen.sub(error, "Detail")
    xmlgen.sub(doc, id_tag, request_id)
    return xmlgen.serialize(doc)
