"""Sellers API v1: getMarketplaceParticipations, from the same seller state the MWS Sellers section reads.

Answers keep the Sellers API's `payload` wrapper (sellers.json), unlike Orders v2026 and Feeds.
"""
from __future__ import annotations

from typing import Any

from .call import Call
from .seams import MARKETPLACES, seller_marketplaces

STORE_NAME = "Sandbox Demo Store"


def get_marketplace_participations(call: Call) -> dict[str, Any]:
    payload = []
    for marketplace_id in seller_marketplaces(call.sandbox, call.seller_id):
        m = MARKETPLACES[marketplace_id]
        payload.append({
            "marketplace": {"id": m.marketplace_id, "name": m.name, "countryCode": m.country,
                            "defaultCurrencyCode": m.currency, "defaultLanguageCode": m.language,
                            "domainName": m.domain},
            "storeName": STORE_NAME,
            "participation": {"isParticipating": True, "hasSuspendedListings": False}})
    return {"payload": payload}
