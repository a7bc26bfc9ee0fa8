"""The Sellers 2011-07-01 section: models.py (the backend: participations), responses.py (handlers)."""
from __future__ import annotations

from functools import partial

from ..sections import Section, from_model, get_service_status
from . import responses
from .models import SellersBackend

__all__ = ["SellersBackend", "section"]


def section(backend: SellersBackend) -> Section:
    return from_model("sellers", {
        "ListMarketplaceParticipations": partial(responses.list_marketplace_participations, backend),
        "ListMarketplaceParticipationsByNextToken": partial(
            responses.list_marketplace_participations_by_next_token, backend),
        "GetServiceStatus": get_service_status,
    })
