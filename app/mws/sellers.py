"""Credential check (contract §4): ListMarketplaceParticipations, one attempt per page.

Verified only when Amazon answers and the cfg's marketplaceId is among the seller's
participations. Otherwise the reason is Amazon's own message, or ours naming the marketplace.
The participations may come on several pages: the check follows NextToken
(ListMarketplaceParticipationsByNextToken) until the marketplace is found or the pages end, each
page in sample mode (no retry, no backoff, no pacing wait).
"""
from __future__ import annotations

from typing import Any, Mapping

from app.mws.client import MWSClient
from app.mws.credentials import Credentials
from app.mws.errors import MWSError, TransportError
from app.pacing.pacer import pacer_for

# A seller is in a few dozen marketplaces at most; the bound only stops a server that keeps
# answering NextTokens (each page is a request of the 15-burst ListMarketplaceParticipations group).
MAX_PAGES = 15

ACCESS_HINT = (". Check the Seller ID and the MWS Auth Token: the token must be the one this seller granted "
               "your developer ID.")


def participations(data: Mapping[str, Any]) -> list[str]:
    """Marketplace ids of a ListMarketplaceParticipations(ByNextToken) result."""
    items = data.get("listParticipations") or []
    return [p.get("marketplaceId", "") for p in items if isinstance(p, dict)]


async def verify_credentials(cfg: Mapping[str, Any], services: Any) -> tuple[bool, str | None]:
    try:
        credentials = Credentials.from_cfg(cfg)
        client = MWSClient(
            credentials,
            http=services.http,
            clock=services.clock,
            settings=services.settings,
            pacer=pacer_for(services),
            mode="sample",  # exactly one request, no waiting, no retry
            default_endpoint=services.default_endpoint,
        )
        marketplace = credentials.marketplace_id
        pages = 0
        async for page in client.pages("ListMarketplaceParticipations", {}):
            if marketplace in participations(page.data):
                return True, None  # later pages are not fetched
            pages += 1
            if pages >= MAX_PAGES:
                break
    except TransportError as err:
        # err.message is ours (never httpx's text, which holds the URL).
        return False, f"MWS could not be reached: {err.message}"
    except MWSError as err:
        reason = err.message or err.code or "MWS refused the call"
        if err.code == "AccessDenied":  # not a bad signature: the token or the seller is wrong
            reason += ACCESS_HINT
        return False, reason
    return False, f"The seller does not participate in marketplace {marketplace}"
