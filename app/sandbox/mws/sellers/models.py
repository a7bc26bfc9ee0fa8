"""The Sellers backend model: which marketplaces a seller participates in, paged.

Participations are paged `PAGE_SIZE` at a time so that clients meet ...ByNextToken: the demo
seller's retail marketplaces (US, CA) come on the first page, the non-retail IBA one on the next,
as real sellers' lists include it. What each marketplace reports (name, currency, language, domain)
is the shared wire model's (app/model/mws/marketplaces.json).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import wire
from ..auth import Seller
from ..paging import TokenCodec

PAGE_SIZE = 2


@dataclass
class ParticipationsPage:
    marketplaces: list[wire.MarketplaceFacts]
    next_token: str | None


class SellersBackend:
    def __init__(self, tokens: TokenCodec) -> None:
        self.tokens = tokens

    def participations(self, seller: Seller, offset: int = 0) -> ParticipationsPage:
        ids = seller.marketplaces
        token = None
        if offset + PAGE_SIZE < len(ids):
            token = self.tokens.encode("participations", seller.seller_id, {"offset": offset + PAGE_SIZE})
        facts = wire.marketplaces()
        return ParticipationsPage([facts[mid] for mid in ids[offset: offset + PAGE_SIZE]], token)

    def participations_by_token(self, seller: Seller, token: str) -> ParticipationsPage:
        state = self.tokens.decode("participations", seller.seller_id, token)
        return self.participations(seller, int(state.get("offset", 0)))
