"""SP-API's failures in the one error tree (app.mws.errors draws it; its categories are the
backends' common words, and app.mws.retry's decision table reads only them):

    429 QuotaExceeded                         → Throttled       (SP-API's 503: sample fails, run waits)
    500/502/503/504, network, body not JSON   → ServerError / TransportError / Timeout / MalformedResponse
    400                                       → RequestError    (Sender, not retriable)
    401/403                                   → AuthError       (after one token refresh when it expired)
    404                                       → NotFound        (getOrder: the id goes to notFound)
    LWA's {"error", "error_description"}      → LwaError        (code = LWA's error, not retriable)
    3xx, 4xx without an error document        → UnexpectedResponse
"""
from __future__ import annotations

from app.mws.errors import (  # noqa: F401 - re-exported: the categories both backends raise
    AuthError,
    MalformedResponse,
    MWSError,
    RequestError,
    ServerError,
    Throttled,
    Timeout,
    TransportError,
    UnexpectedResponse,
)


class NotFound(RequestError):
    code = "NotFound"


class LwaError(AuthError):
    """Login with Amazon refused the refresh-token grant (invalid_grant, invalid_client, ...)."""

    type = "Sender"
    retriable = False


class DocumentNotAllowed(RequestError):
    """A feed document URL the component will not fetch or upload to (not https, not admitted)."""

    code = "DocumentUrlNotAllowed"
