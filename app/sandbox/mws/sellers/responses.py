"""Sellers 2011-07-01: ListMarketplaceParticipations (+ByNextToken) and GetServiceStatus.

Participations are paged `PAGE_SIZE` at a time so that clients meet ...ByNextToken: the demo
seller's retail marketplaces (US, CA) come on the first page, the non-retail IBA one on the next,
as real sellers' lists include it.
"""
from __future__ import annotations

from lxml import etree

from . import xmlgen
from .exceptions import missing
from .models import MARKETPLACES
from .sections import Call, Section, get_service_status

NAMESPACE = "https://mws.amazonservices.com/Sellers/2011-07-01"
PAGE_SIZE = 2


def list_marketplace_participations(call: Call) -> etree._Element:
    return _page(call, 0)


def list_marketplace_participations_by_next_token(call: Call) -> etree._Element:
    token = call.params.get("NextToken")
    if not token:
        raise missing("NextToken")
    state = call.sandbox.tokens.decode("participations", call.seller.seller_id, token)
    return _page(call, int(state.get("offset", 0)))


def _page(call: Call, offset: int) -> etree._Element:
    ids = call.seller.marketplaces
    page = ids[offset: offset + PAGE_SIZE]
    result = call.result()
    if offset + PAGE_SIZE < len(ids):
        token = call.sandbox.tokens.encode("participations", call.seller.seller_id, {"offset": offset + PAGE_SIZE})
        xmlgen.sub(result, "NextToken", token)
    participations = xmlgen.sub(result, "ListParticipations")
    for mid in page:
        p = xmlgen.sub(participations, "Participation")
        xmlgen.subs(p, [("MarketplaceId", mid), ("SellerId", call.seller.seller_id),
                        ("HasSellerSuspendedListings", "No")])
    marketplaces = xmlgen.sub(result, "ListMarketplaces")
    for mid in page:
        m = MARKETPLACES[mid]
        el = xmlgen.sub(marketplaces, "Marketplace")
        xmlgen.subs(el, [("MarketplaceId", m.marketplace_id), ("Name", m.name),
                         ("DefaultCountryCode", m.country), ("DefaultCurrencyCode", m.currency),
                         ("DefaultLanguageCode", m.language), ("DomainName", m.domain)])
    return result


def section() -> Section:
    return Section("Sellers", "/Sellers/2011-07-01", "2011-07-01", NAMESPACE, {
        "ListMarketplaceParticipations": list_marketplace_participations,
        "ListMarketplaceParticipationsByNextToken": list_marketplace_participations_by_next_token,
        "GetServiceStatus": get_service_status,
    })
