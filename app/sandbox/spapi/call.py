"""What an SP-API handler gets (`Call`) and may give back (`Reply`); the handlers' only contract."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .params import Query

if TYPE_CHECKING:
    from .core import SpApi
    from .seams import Sandbox


@dataclass
class Call:
    spapi: "SpApi"
    operation: str
    seller_id: str
    client_id: str
    query: Query
    path: dict[str, str]              # path parameters (orderId, feedId, feedDocumentId)
    body: bytes
    headers: dict[str, str]
    now_ms: int
    base_url: str                     # scheme://host the client used, for the document URLs handed out

    @property
    def sandbox(self) -> "Sandbox":
        return self.spapi.sandbox


@dataclass
class Reply:
    payload: Any = None               # JSON-able; None: an empty body
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
