"""The MWS wire facts the sandbox serves, read from the same data files the client reads (app/model/mws).

Sections (path, Version, namespace, operations), throttle groups and quotas, feed types and
marketplaces are the client's `app/model/mws/*.json`, so the two cannot drift apart. app.model is
plain data: reading it imports nothing from the client.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.model import load

SECTIONS = ("orders", "sellers", "feeds", "reports")


@dataclass(frozen=True)
class SectionFacts:
    name: str                      # "Orders"
    path: str                      # "/Orders/2013-09-01"
    version: str                   # "2013-09-01"
    namespace: str
    operations: tuple[str, ...]    # every Action of the section


@dataclass(frozen=True)
class MarketplaceFacts:
    """What ListMarketplaceParticipations reports of a marketplace."""
    marketplace_id: str
    name: str                      # Amazon.com (also its SalesChannel)
    country: str
    currency: str
    language: str
    domain: str


def section(key: str) -> SectionFacts:
    """The facts of `key` ("orders", "sellers", "feeds")."""
    doc = load("mws", key)
    return SectionFacts(doc["section"], doc["path"], doc["version"], doc["namespace"], tuple(doc["operations"]))


def operations() -> frozenset[str]:
    """Every MWS operation of the model (faults may name them whatever sections are served)."""
    return frozenset(op for key in SECTIONS for op in section(key).operations)


def throttle_groups() -> dict[str, dict[str, float]]:
    """A fresh copy of the documented quotas per throttle group: {max, restorePerSecond, hourly?}."""
    groups = load("mws", "throttle")["groups"]
    return {group: {k: float(v) for k, v in quota.items()} for group, quota in groups.items()}


def throttle_group(action: str) -> str:
    """The group that throttles `action`: its model entry's throttleGroup (a ByNextToken shares its
    operation's group unless it is a group itself), else the action's own name without ByNextToken."""
    for key in SECTIONS:
        op = load("mws", key)["operations"].get(action)
        if op is not None:
            return op["throttleGroup"]
    return action.removesuffix("ByNextToken")


def feed_types() -> dict[str, dict[str, Any]]:
    """FeedType → {"format": "xml" | "flat", "messageType"?, "needsMarketplace"?}."""
    return load("mws", "feeds")["feedTypes"]


@lru_cache(maxsize=1)
def marketplaces() -> dict[str, MarketplaceFacts]:
    doc = load("mws", "marketplaces")
    return {row["id"]: MarketplaceFacts(row["id"], row["marketName"], row["country"], row["currency"],
                                        row["language"], row["domain"])
            for row in [*doc["marketplaces"], *doc.get("nonRetail", [])]}


def error_codes() -> frozenset[str]:
    """The Amazon error codes of the shared error table (errors.json)."""
    return frozenset(load("mws", "errors")["codes"])


def report_types() -> dict[str, dict[str, Any]]:
    """ReportType → {"format", "window", "columns", "requestable"?, "listings"?}; aliases map to their entry."""
    types = load("mws", "reports")["reportTypes"]
    found = dict(types)
    for kind in types.values():
        found.update({alias: kind for alias in kind.get("aliases", ())})
    return found


def report_charset(report_type: str, marketplace_id: str) -> tuple[str, str]:
    """(the charset a report declares, the Python codec that writes it): by report type, then by
    marketplace, else the default (reports.json "charsets")."""
    table = load("mws", "reports")["charsets"]
    declared = table["reportTypes"].get(report_type) or table["marketplaces"].get(marketplace_id) or table["default"]
    return declared, table["codecs"][declared]


def report_statuses() -> tuple[str, ...]:
    """Every ReportProcessingStatus (reports.md §1)."""
    return tuple(load("mws", "reports")["processingStatuses"])


def marketplace_region(marketplace_id: str) -> str | None:
    """NA, EU or FE: the region of a marketplace with an endpoint (marketplaces.json)."""
    return next((row["region"] for row in load("mws", "marketplaces")["marketplaces"] if row["id"] == marketplace_id),
                None)
