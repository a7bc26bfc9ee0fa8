"""The MWS sections the sandbox serves, and what a handler receives.

A section is a (path, Version, namespace) with a table Action → handler, like moto's
`responses.py` dispatch. A handler takes the parsed `Call` and returns the `<{Action}Result>`
element (the app wraps it in `<{Action}Response>` with ResponseMetadata), or a ready `Reply` for
answers that are not wrapped (Feeds' GetFeedSubmissionResult returns the raw report). Each section
package (orders/, sellers/, feeds/) binds its responses to its backend model when it builds its
Section, so a handler sees its backend and the call, never the whole Sandbox. Feeds register with
`root_alias=True` so that both `/Feeds/2009-01-01` and `/` reach them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Union

from lxml import etree

from . import wire, xmlgen
from .auth import Developer, Seller


@dataclass
class Reply:
    body: bytes
    status: int = 200
    content_type: str = "text/xml"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    section: "Section"
    action: str
    params: dict[str, str]
    body: bytes
    headers: dict[str, str]            # lower-case names
    developer: Developer
    seller: Seller
    now_ms: int                        # sandbox clock
    method: str = "POST"

    def result(self) -> etree._Element:
        """A fresh `<{Action}Result>` in the section's namespace, for the handler to fill."""
        return xmlgen.root(f"{self.action}Result", self.section.namespace)


Handler = Callable[[Call], Union[etree._Element, Reply]]


@dataclass
class Section:
    name: str
    path: str
    version: str
    namespace: str
    handlers: dict[str, Handler]
    root_alias: bool = False           # also served at "/" (Feeds and Reports)
    request_id_tag: str = "RequestId"

    def wrap(self, action: str, result: etree._Element, request_id: str) -> bytes:
        doc = xmlgen.root(f"{action}Response", self.namespace)
        doc.append(result)
        meta = xmlgen.sub(doc, "ResponseMetadata")
        xmlgen.sub(meta, "RequestId", request_id)
        return xmlgen.serialize(doc)


def from_model(key: str, handlers: dict[str, Handler], root_alias: bool = False,
               request_id_tag: str = "RequestId") -> Section:
    """The Section of the wire model's `key` ("orders"), served by `handlers` (one per model operation)."""
    facts = wire.section(key)
    missing = set(facts.operations) - set(handlers)
    if missing:
        raise ValueError(f"{facts.name}: no handler for {sorted(missing)}")
    return Section(facts.name, facts.path, facts.version, facts.namespace, handlers, root_alias, request_id_tag)


def get_service_status(call: Call) -> etree._Element:
    """GetServiceStatus, the same in every section: always GREEN, at the sandbox's time."""
    result = call.result()
    xmlgen.sub(result, "Status", "GREEN")
    xmlgen.sub(result, "Timestamp", xmlgen.iso_ms(call.now_ms))
    return result
