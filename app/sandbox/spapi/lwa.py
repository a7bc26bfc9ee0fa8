"""Login with Amazon for the sandbox: applications, refresh-token grants, access tokens, and `/token`.

    POST /sandbox/lwa/token  grant_type=refresh_token&refresh_token=Atzr|…&client_id=…&client_secret=…
      200 {"access_token": "Atza|…", "refresh_token": …, "token_type": "bearer", "expires_in": 3600}
      401 {"error": "invalid_client", …}   unknown client id or wrong secret
      400 {"error": "invalid_grant", …}    unknown refresh token, or one issued to another application
      400 {"error": "invalid_request" | "unsupported_grant_type", …}

Errors have LWA's shape `{"error", "error_description"}` (../shared/reference/sp-api.md §1.1).
Access tokens are opaque and expire `expires_in` seconds of sandbox time after they are issued;
`time_scale` shortens that lifetime as it speeds up quotas, so demos meet token refreshes.
"""
from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from .errors import TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_MISSING, unauthorized
from .seams import read_body

if TYPE_CHECKING:
    from .seams import Sandbox

TOKEN_SECONDS = 3600
LWA_DEMO: dict[str, str] = {
    "lwaClientId": "amzn1.application-oa2-client.sandboxdemo",
    "lwaClientSecret": "sandbox-client-secret",
    "refreshToken": "Atzr|sandbox-demo-refresh-token",
    "sellerId": "A1SANDBOXSELLER",
    "marketplaceId": "ATVPDKIKX0DER",
}


@dataclass(frozen=True)
class AccessToken:
    client_id: str
    seller_id: str
    expires_ms: int


class Lwa:
    """Applications (client id → secret), grants (refresh token → client, seller) and issued tokens."""

    def __init__(self, sandbox: "Sandbox") -> None:
        self.sandbox = sandbox
        self.clients: dict[str, str] = {}
        self.grants: dict[str, tuple[str, str]] = {}
        self.tokens: dict[str, AccessToken] = {}
        self.lifetime = max(1, round(TOKEN_SECONDS / sandbox.time_scale))
        self.add_grant(LWA_DEMO["lwaClientId"], LWA_DEMO["lwaClientSecret"], LWA_DEMO["refreshToken"],
                       LWA_DEMO["sellerId"])

    def add_grant(self, client_id: str, client_secret: str, refresh_token: str, seller_id: str) -> None:
        """Register an application (if new) and a seller's authorization of it."""
        self.clients[client_id] = client_secret
        self.grants[refresh_token] = (client_id, seller_id)

    def issue(self, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        """(status, body) of a token request."""
        grant_type = form.get("grant_type")
        if not grant_type:
            return _error(400, "invalid_request", "The request is missing a required parameter : grant_type")
        if grant_type != "refresh_token":
            return _error(400, "unsupported_grant_type",
                          "The authorization grant type is not supported by the sandbox's authorization server")
        for name in ("client_id", "client_secret", "refresh_token"):
            if not form.get(name):
                return _error(400, "invalid_request", f"The request is missing a required parameter : {name}")
        client_id = form["client_id"]
        known = self.clients.get(client_id)
        if known is None or not secrets.compare_digest(known.encode(), form["client_secret"].encode()):
            return _error(401, "invalid_client", "Client authentication failed")
        grant = self.grants.get(form["refresh_token"])
        if grant is None or grant[0] != client_id:
            return _error(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
        now_ms = self.sandbox.now_ms()
        self._prune(now_ms)
        token = "Atza|" + secrets.token_urlsafe(96)
        self.tokens[token] = AccessToken(client_id, grant[1], now_ms + self.lifetime * 1000)
        return 200, {"access_token": token, "refresh_token": form["refresh_token"], "token_type": "bearer",
                     "expires_in": self.lifetime}

    def check(self, token: str | None, now_ms: int) -> AccessToken:
        """The grant behind `token`, or 403 Unauthorized saying why (missing, unknown, expired)."""
        if not token:
            raise unauthorized(TOKEN_MISSING)
        found = self.tokens.get(token)
        if found is None:
            raise unauthorized(TOKEN_INVALID)
        if now_ms >= found.expires_ms:
            raise unauthorized(TOKEN_EXPIRED)
        return found

    def expire(self, token: str | None, now_ms: int) -> None:
        """The "expired-token" fault: the token presented is out of date from now on."""
        found = self.tokens.get(token or "")
        if token and found is not None:
            self.tokens[token] = AccessToken(found.client_id, found.seller_id, min(found.expires_ms, now_ms))

    def _prune(self, now_ms: int) -> None:
        # Expired tokens are kept a day so a client still hears "expired" rather than "invalid".
        for token in [t for t, a in self.tokens.items() if a.expires_ms + 86_400_000 < now_ms]:
            del self.tokens[token]


def _error(status: int, error: str, description: str) -> tuple[int, dict[str, object]]:
    return status, {"error": error, "error_description": description}


def lwa_app(lwa: Lwa):
    """The ASGI app mounted at /sandbox/lwa: POST /token."""

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        path = scope.get("path", "")
        payload: dict[str, object]
        if not path.rstrip("/").endswith("/token"):
            status, payload = 404, {"error": "not_found", "error_description": "No such endpoint"}
        elif scope.get("method") != "POST":
            status, payload = 405, {"error": "invalid_request", "error_description": "Use POST"}
        else:
            form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
            status, payload = lwa.issue(form)
        data = json.dumps(payload).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json;charset=UTF-8"), (b"content-length", str(len(data)).encode()),
            (b"cache-control", b"no-store"), (b"pragma", b"no-cache"),
            (b"x-amzn-requestid", str(uuid.uuid4()).encode())]})
        await send({"type": "http.response.body", "body": data})

    return app
