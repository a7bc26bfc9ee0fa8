"""Reading MWS request parameters: numbered lists (`MarketplaceId.Id.N`) and ISO-8601 dates."""
from __future__ import annotations

from typing import overload

from .errors import invalid
from .xmlgen import parse_iso_ms


def list_param(params: dict[str, str], prefix: str) -> list[str]:
    """Values of `Prefix.1`, `Prefix.2`, ... in index order (`MarketplaceId.Id.N` style lists)."""
    found = []
    for key, value in params.items():
        head, _, index = key.rpartition(".")
        if head == prefix and index.isdigit():
            found.append((int(index), value))
    return [value for _, value in sorted(found)]


@overload
def date_param(params: dict[str, str], name: str) -> int | None: ...
@overload
def date_param(params: dict[str, str], name: str, default: int) -> int: ...
def date_param(params: dict[str, str], name: str, default: int | None = None) -> int | None:
    """`name` as epoch milliseconds (`default` when absent), or 400 InvalidParameterValue."""
    raw = params.get(name)
    if raw is None:
        return default
    try:
        return parse_iso_ms(raw)
    except ValueError:
        raise invalid(f"Invalid {name}: it must be an ISO-8601 date such as 2020-05-28T11:22:24Z") from None
