"""The AmazonEnvelope every XML feed shares (amzn-envelope.xsd), written incrementally with lxml.

    <AmazonEnvelope xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
      <Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>seller</MerchantIdentifier></Header>
      <MessageType>Inventory</MessageType>
      <Message><MessageID>1</MessageID><OperationType>Update</OperationType><Inventory>...</Inventory></Message>
      ...

Each <Message> is built as a small tree and streamed out at once (etree.xmlfile), so a 30,000-message
feed never exists as one big tree; each starts on its own line, which lets xsd.py map an XSD error's
line back to the input message.
"""
from __future__ import annotations

import io
from typing import Iterable

from lxml import etree

from .elements import add
from .kinds import Kind

XSI = "http://www.w3.org/2001/XMLSchema-instance"
DOCUMENT_VERSION = "1.01"


def write_envelope(kind: Kind, messages: Iterable[dict], seller_id: str) -> tuple[bytes, int]:
    """The envelope as UTF-8 bytes with an XML declaration, and the number of messages in it."""
    out = io.BytesIO()
    count = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        attributes = {f"{{{XSI}}}noNamespaceSchemaLocation": "amzn-envelope.xsd"}
        with xf.element("AmazonEnvelope", attributes, nsmap={"xsi": XSI}):
            xf.write("\n")
            header = etree.Element("Header")
            add(header, "DocumentVersion", DOCUMENT_VERSION)
            add(header, "MerchantIdentifier", seller_id)
            xf.write(header, pretty_print=True)
            message_type = etree.Element("MessageType")
            message_type.text = kind.message_type
            xf.write(message_type, pretty_print=True)
            for count, message in enumerate(messages, start=1):
                xf.write(_message(kind, count, message), pretty_print=True)
    return out.getvalue(), count


def _message(kind: Kind, message_id: int, message: dict) -> etree._Element:
    element = etree.Element("Message")
    add(element, "MessageID", message_id)
    operation = kind.operation(message)
    if operation is not None:
        add(element, "OperationType", operation)
    kind.payload(element, message)
    return element
