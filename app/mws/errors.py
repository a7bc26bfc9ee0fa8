"""The MWS error tree, drawn once.

    StepError (app.runtime.errors)
    └── MWSError                    anything MWS or the way to it answered
        ├── TransportError          network fault, connection dropped      → retry (bounded, backoff)
        │   └── Timeout             no answer within the client timeout     → retry (bounded, backoff)
        ├── MalformedResponse       body cut short or not well-formed XML   → retry (bounded, backoff)
        ├── ServerError             HTTP 500 / other 5xx (not 503)          → retry (bounded, backoff)
        ├── Throttled               any 503, Amazon's code kept             → sample: fail; run: wait
        │                           (RequestThrottled, QuotaExceeded, ServiceUnavailable, InternalError)
        ├── NotReady                FeedProcessingResultNotReady            → rebound
        ├── ContentMD5Mismatch      a result body that fails its Content-MD5 → retry up to 3, then fail
        ├── UnexpectedResponse      a non-2xx without an error document     → fail (3xx/4xx; redirects
        │                           (a redirect, a proxy's 404 page)           are never followed)
        ├── AuthError               401/403: signature, key, seller, token  → fail
        └── RequestError            other 4xx (InvalidParameterValue, ...)  → fail
            ├── NextTokenCorrupted  the NextToken no longer decodes         → restart the window
            └── EndpointNotAllowed  an endpoint outside Amazon's hosts and  → fail, nothing sent
                                    ENDPOINT_ALLOWLIST (ours, before any request)

Amazon's text is relayed with every credential value masked (an error that echoes the request
must not carry the MWSAuthToken into an event). `retriable` on each class is what the error event
reports; what the client does about each is the table in `app.mws.retry`, applied by `app.mws.client`.
"""
from __future__ import annotations

from typing import Mapping

from app.runtime.errors import StepError


class MWSError(StepError):
    status: int | None = None
    # The HTTP response headers, when Amazon answered (QuotaExceeded carries x-mws-quota-resetsOn).
    headers: Mapping[str, str] | None = None

    def __init__(self, message: str, *, status: int | None = None, **kwargs) -> None:
        super().__init__(message, **kwargs)
        if status is not None:
            self.status = status


class TransportError(MWSError):
    code = "TransportError"
    retriable = True
    # False when the connection failed before the request left: retrying cannot act twice.
    request_sent: bool = True


class Timeout(TransportError):
    code = "Timeout"


class MalformedResponse(MWSError):
    code = "MalformedResponse"
    retriable = True


class ServerError(MWSError):
    code = "InternalError"
    type = "Receiver"
    retriable = True


class Throttled(MWSError):
    code = "RequestThrottled"
    retriable = True


class NotReady(MWSError):
    code = "FeedProcessingResultNotReady"
    type = "Sender"
    retriable = True
    rebounds = True


class ContentMD5Mismatch(MWSError):
    code = "ContentMD5Mismatch"
    retriable = True
    resumes = False  # retried 3 times by the client already: an error, the feed's id kept to retry


class AuthError(MWSError):
    type = "Sender"


class RequestError(MWSError):
    type = "Sender"


class NextTokenCorrupted(RequestError):
    code = "NextTokenCorrupted"


class UnexpectedResponse(MWSError):
    """An answer that is neither a result nor an error document (our finding: requestId stays null)."""

    code = "UnexpectedResponse"
    retriable = False


class EndpointNotAllowed(RequestError):
    code = "EndpointNotAllowed"
    type = "Sender"


# The codes this client reports of its own (requestId null): with the model's Amazon codes, the
# closed set of outcomes a metric may carry.
OUR_CODES = frozenset({"TransportError", "Timeout", "MalformedResponse", "ContentMD5Mismatch", "DeadlineExceeded",
                       "InternalError", "UnexpectedResponse", "EndpointNotAllowed", "MissingParameter"})
