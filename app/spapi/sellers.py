"""Credential check on SP-API (sp-api.md §1-§2): one fresh token request and one
getMarketplaceParticipations, no retry, no pacing wait. Verified only when the cfg's marketplace is
among the seller's participations; otherwise LWA's description, Amazon's message, or ours naming
the marketplace."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Mapping

from app.spapi.client import client_for
from app.spapi.errors import AuthError, LwaError, MWSError, TransportError
from app.spapi.lwa import token_cache_for

ACCESS_HINT = ("; check that the refresh token belongs to this seller and was issued to this app "
               "(LWA client id), and that the app has the Sellers role")


def participations(data: Mapping[str, Any]) -> list[str]:
    items = data.get("payload") or []
    return [str((p.get("marketplace") or {}).get("id", "")) for p in items if isinstance(p, dict)]


async def verify_credentials(cfg: Mapping[str, Any], services: Any) -> tuple[bool, str | None]:
    ctx = SimpleNamespace(services=services, cfg=dict(cfg), http=services.http, clock=services.clock,
                          settings=services.settings, mode="sample", deadline=None, log=None)
    client = client_for(ctx)
    marketplace = client.credentials.marketplace_id
    try:
        # /verify-credentials always asks LWA afresh: a cached token proves nothing about the secret.
        await token_cache_for(services).token(client.credentials, client.lwa_url, http=services.http,
                                              budget=float(services.settings.mws_http_timeout), fresh=True)
        result = await client.call("getMarketplaceParticipations")
    except LwaError as err:
        return False, err.message
    except TransportError as err:
        return False, f"SP-API could not be reached: {err.message}"
    except AuthError as err:
        return False, (err.message or err.code or "access denied") + ACCESS_HINT
    except MWSError as err:
        return False, err.message or err.code
    if marketplace in participations(result.data):
        return True, None
    return False, f"The seller does not participate in marketplace {marketplace}"
