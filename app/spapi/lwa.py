"""Login with Amazon: the refresh-token grant, and the access tokens it gives, cached.

    tokens = token_cache_for(services)
    token = await tokens.token(credentials, url, http=..., budget=...)          # cached or new
    token = await tokens.token(credentials, url, http=..., budget=..., fresh=True)  # /verify-credentials

A token is cached per (client id, client secret, refresh token) — keyed by their keyed hash, never
the secrets — until 60 s before its `expires_in` runs out, on the injected clock. However many steps
ask at once, one token request per key is in flight; the others wait for its answer. `invalidate`
drops a token Amazon called expired (the client then asks once more).

LWA's error answer (`{"error": "invalid_grant", "error_description": "..."}`, 4xx) is an LwaError with
LWA's code and description, not retriable; a 5xx or a network failure is a transport fault the
client's decision table retries like any other.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import httpx

from app.clock import Clock
from app.mws.body import fetch
from app.spapi.credentials import SpapiCredentials
from app.spapi.errors import LwaError, MalformedResponse, ServerError, Timeout, TransportError

EARLY_SECONDS = 60.0
MAX_TOKEN_BYTES = 64 * 1024
FORM = "application/x-www-form-urlencoded;charset=UTF-8"


@dataclass
class _Token:
    value: str
    expires_at: float


class TokenCache:
    """`shared`: the replicas' store (QUOTA_STORE=redis://...) holding each token with its expiry, so N
    replicas ask LWA for one token per key, not N; any failure there is a miss, never an error."""

    def __init__(self, clock: Clock, *, max_entries: int = 10_000, shared: Any = None) -> None:
        self.clock = clock
        self.max_entries = max_entries
        self.shared = shared
        self._tokens: dict[str, _Token] = {}
        self._inflight: dict[str, asyncio.Future[str]] = {}
        self._distrusted: set[str] = set()  # keys whose shared token Amazon called expired
        self.requests = 0  # token requests sent, for tests and metrics

    def invalidate(self, credentials: SpapiCredentials) -> None:
        self._tokens.pop(credentials.fingerprint, None)
        self._distrusted.add(credentials.fingerprint)  # the next token is asked of LWA, not read from the store

    def _keep(self, key: str, value: str, seconds: float) -> None:
        if len(self._tokens) >= self.max_entries:
            self._tokens.pop(next(iter(self._tokens)))
        self._tokens[key] = _Token(value, self.clock.time() + max(0.0, seconds))

    async def token(self, credentials: SpapiCredentials, url: str, *, http: httpx.AsyncClient, budget: float,
                    fresh: bool = False) -> str:
        key = credentials.fingerprint
        cached = self._tokens.get(key)
        if not fresh and cached is not None and self.clock.time() < cached.expires_at:
            return cached.value
        pending = self._inflight.get(key)
        if pending is not None and not fresh:
            return await asyncio.shield(pending)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            held = None if fresh or key in self._distrusted or self.shared is None else \
                await self.shared.get_token(key)
            if held is not None:
                value, seconds = held
                self._keep(key, value, seconds)
            else:
                value, expires_in = await self._request(credentials, url, http, budget)
                self._keep(key, value, expires_in - EARLY_SECONDS)
                self._distrusted.discard(key)
                if self.shared is not None:
                    await self.shared.put_token(key, value, expires_in - EARLY_SECONDS)
            future.set_result(value)
            return value
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody else waited
            raise
        finally:
            if self._inflight.get(key) is future:
                del self._inflight[key]

    async def _request(self, credentials: SpapiCredentials, url: str, http: httpx.AsyncClient,
                       budget: float) -> tuple[str, float]:
        form = {"grant_type": "refresh_token", "refresh_token": credentials.refresh_token,
                "client_id": credentials.client_id, "client_secret": credentials.client_secret}
        request = http.build_request("POST", url, data=form, headers={"Content-Type": FORM})
        self.requests += 1
        try:
            response, raw = await fetch(http, request, auth=None, limit=MAX_TOKEN_BYTES, budget=budget)
        except TimeoutError:
            raise Timeout("Login with Amazon did not answer the token request in time") from None
        except httpx.TransportError as exc:  # our words: httpx's text has the URL
            err = TransportError(f"the connection to Login with Amazon failed ({type(exc).__name__})")
            err.request_sent = not isinstance(exc, httpx.ConnectError)
            raise err from None
        body = _json(raw)
        if response.status_code >= 500:
            raise ServerError(f"Login with Amazon answered HTTP {response.status_code}", status=response.status_code)
        if response.status_code != 200:
            code = body.get("error") if isinstance(body.get("error"), str) else "invalid_request"
            description = body.get("error_description") if isinstance(body.get("error_description"), str) else ""
            raise LwaError(credentials.mask(description) or f"Login with Amazon refused the token request ({code})",
                           code=credentials.mask(code), status=response.status_code)
        token, expires_in = body.get("access_token"), body.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, (int, float)) or expires_in <= 0:
            raise MalformedResponse("Login with Amazon answered without an access token and its expiry")
        return token, float(expires_in)


def _json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        return {}
    return body if isinstance(body, dict) else {}


def token_cache_for(services: Any) -> TokenCache:
    """The process's one cache (kept in the services): a token only helps if it outlives a step."""
    from app.pacing.pacer import quota_store_for

    def make() -> TokenCache:
        store = quota_store_for(services)
        return TokenCache(services.clock, shared=store if hasattr(store, "get_token") else None)

    return services.singleton("spapi.lwa", make)
