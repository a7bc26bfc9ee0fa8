"""Sellers 2011-07-01 handlers: ListMarketplaceParticipations (+ByNextToken) as Amazon's XML.

Each handler receives the `SellersBackend` (models.py) and the `Call`.
"""
from __future__ import annotations

from lxml import etree

from .. import xmlgen
from ..errors import missing
from ..sections import Call
from .models import ParticipationsPage, SellersBackend


def list_marketplace_participations(backend: SellersBackend, call: Call) -> etree._Element:
    return _result(call, backend.participations(call.seller))


def list_marketplace_participations_by_next_token(backend: SellersBackend, call: Call) -> etree._Element:
    token = call.params.get("NextToken")
    if not token:
        raise missing("NextToken")
    return _result(call, backend.participations_by_token(call.seller, token))


def _result(call: Call, page: ParticipationsPage) -> etree._Element:
    result = call.result()
    if page.next_token:
        xmlgen.sub(result, "NextToken", page.next_token)
    participations = xmlgen.sub(result, "ListParticipations")
    for m in page.marketplaces:
        p = xmlgen.sub(participations, "Participation")
        xmlgen.subs(p, [("MarketplaceId", m.marketplace_id), ("SellerId", call.seller.seller_id),
                        ("HasSellerSuspendedListings", "No")])
    marketplaces = xmlgen.sub(result, "ListMarketplaces")
    for m in page.marketplaces:
        el = xmlgen.sub(marketplaces, "Marketplace")
        xmlgen.subs(el, [("MarketplaceId", m.marketplace_id), ("Name", m.name),
                         ("DefaultCountryCode", m.country), ("DefaultCurrencyCode", m.currency),
                         ("DefaultLanguageCode", m.language), ("DomainName", m.domain)])
    return result
