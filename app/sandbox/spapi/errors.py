"""SP-API errors as the sandbox raises them: `{"errors": [{"code", "message", "details"}]}`.

Handlers raise `SpApiError`; the app renders it with `x-amzn-RequestId`. Texts are Amazon's where
they are known (../shared/reference/sp-api.md §3.3, §8; the models' examples), else plain English.
"""
from __future__ import annotations

import json
from typing import Any

DENIED = "Access to requested resource is denied."
TOKEN_EXPIRED = "The access token you provided has expired."
TOKEN_INVALID = "The access token you provided is revoked, malformed or invalid."
TOKEN_MISSING = "Access token is missing in the request header."


class SpApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: str = "") -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers: dict[str, str] = {}        # x-amzn-RateLimit-Limit, once the call reached a usage plan

    def body(self) -> dict[str, Any]:
        return {"errors": [{"code": self.code, "message": self.message, "details": self.details}]}


def error_json(err: SpApiError) -> bytes:
    return json.dumps(err.body(), separators=(",", ":")).encode()


def invalid(details: str, message: str = "Invalid Input") -> SpApiError:
    """400 InvalidInput: the models' examples say "Invalid Input"; the details say what is wrong."""
    return SpApiError(400, "InvalidInput", message, details)


def not_found(what: str) -> SpApiError:
    return SpApiError(404, "NotFound", f"The requested {what} was not found.", "")


def unauthorized(details: str) -> SpApiError:
    return SpApiError(403, "Unauthorized", DENIED, details)


def quota_exceeded() -> SpApiError:
    return SpApiError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.", "")


def internal() -> SpApiError:
    return SpApiError(500, "InternalFailure", "We encountered an internal error. Please try again.", "")


def unavailable() -> SpApiError:
    return SpApiError(503, "ServiceUnavailable", "Service temporarily unavailable. Please try again.", "")
