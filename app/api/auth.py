"""STEP_API_TOKEN: a bearer token every step-API route but /healthz requires when it is set."""
from __future__ import annotations

import hmac

from fastapi import Request

from app.api.errors import ApiError


async def require_token(request: Request) -> None:
    token: str | None = request.app.state.runtime.settings.step_api_token
    if not token:
        return
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    # compare_digest on bytes: constant time, and no TypeError for non-ASCII input.
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "headers.authorization", "a valid bearer token is required",
                       headers={"WWW-Authenticate": "Bearer"})
