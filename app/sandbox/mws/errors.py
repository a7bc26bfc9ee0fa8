"""MWS errors as the sandbox raises them, and their `ErrorResponse` XML.

Handlers raise `MWSError(status, code, message)`; the app renders it in the section's namespace
with the request id both in the body and in `x-mws-request-id`. Messages are Amazon's real texts
where one is known (../reference/mws-api.md §5).
"""
from __future__ import annotations

from . import xmlgen

ROOT_NAMESPACE = "https://mws.amazonservices.com/"

SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)


class MWSError(Exception):
    def __init__(self, status: int, code: str, message: str, type: str = "Sender") -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.type = type
        self.quota_headers: dict[str, str] = {}   # hourly groups report x-mws-quota-* on errors too


def missing(name: str) -> MWSError:
    return MWSError(400, "MissingParameter", f"The parameter {name} is required but was not present.")


def invalid(message: str) -> MWSError:
    return MWSError(400, "InvalidParameterValue", message)


def throttled() -> MWSError:
    return MWSError(503, "RequestThrottled", "Request is throttled")


def internal() -> MWSError:
    return MWSError(500, "InternalError", "We encountered an internal error. Please try again.", "Receiver")


def next_token_corrupted() -> MWSError:
    return MWSError(400, "NextTokenCorrupted", "The NextToken is corrupted or has expired.")


def invalid_address(path: str, why: str = "") -> MWSError:
    """404 for a path or version the sandbox does not serve, e.g. "... API Version is missing"."""
    return MWSError(404, "InvalidAddress", f"Resource {path} is not found on this server.{' ' + why if why else ''}")


def error_body(err: MWSError, namespace: str | None, request_id: str, id_tag: str = "RequestId") -> bytes:
    """`<ErrorResponse><Error><Type/><Code/><Message/><Detail/></Error><RequestId/></ErrorResponse>`."""
    doc = xmlgen.root("ErrorResponse", namespace)
    error = xmlgen.sub(doc, "Error")
    xmlgen.subs(error, [("Type", err.type), ("Code", err.code), ("Message", err.message)])
    xmlgen.sub(error, "Detail")
    xmlgen.sub(doc, id_tag, request_id)
    return xmlgen.serialize(doc)
