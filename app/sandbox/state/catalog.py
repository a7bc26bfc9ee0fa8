"""One seller's catalog entry: a SKU with its offer (price, quantity) and what feeds set on it.

Backend-neutral plain data: money in integer cents; feeds (MWS XML or flat files, or SP-API listings
later) change these fields, and the admin state shows `summary()`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CatalogItem:
    sku: str
    asin: str
    title: str
    price_cents: int
    quantity: int
    currency: str = "USD"
    # What feeds change besides quantity and price (see feeds_processing.py).
    category: str | None = None
    available: bool | None = None               # Inventory <Available> (instead of a Quantity)
    fulfillment_latency: int | None = None
    restock_date: str | None = None
    sale: dict[str, str] | None = None          # {"price", "currency", "start", "end"}
    images: dict[str, str] = field(default_factory=dict)          # ImageType -> ImageLocation
    relations: dict[str, str] = field(default_factory=dict)       # child SKU -> Type (Variation, ...)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sku": self.sku, "asin": self.asin, "title": self.title, "quantity": self.quantity,
                               "price": f"{self.price_cents / 100:.2f}", "currency": self.currency}
        extras = {"category": self.category, "available": self.available,
                  "fulfillmentLatency": self.fulfillment_latency, "restockDate": self.restock_date,
                  "sale": self.sale, "images": dict(self.images) or None,
                  "relationships": [{"sku": s, "type": t} for s, t in self.relations.items()] or None}
        out.update({k: v for k, v in extras.items() if v is not None})
        return out
