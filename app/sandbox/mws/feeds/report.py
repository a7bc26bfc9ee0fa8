"""The processing report GetFeedSubmissionResult returns: a raw AmazonEnvelope, no response wrapper.

Shape from mws-api.md §4.4 and ProcessingReport.xsd: Header (DocumentVersion 1.02,
MerchantIdentifier), MessageType ProcessingReport, one Message whose ProcessingReport has
DocumentTransactionID (= FeedSubmissionId), StatusCode, ProcessingSummary and one Result per error
or warning. Messages with an error are not successful; warnings still count as successful. A rejected
document (Result MessageID 0) has 0 messages processed and counts as one error.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from lxml import etree

from .. import xmlgen

XSI = "http://www.w3.org/2001/XMLSchema-instance"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
UNKNOWN_SKU = ("This SKU does not exist in the Amazon.com catalog. Your {what} data was not processed. "
               "For reasons why, and help fixing this, see http://sellercentral.amazon.com/gp/errorcode/13013")


@dataclass
class Result:
    message_id: int                  # the feed's MessageID; 0 for whole-document errors
    code: int                        # ResultMessageCode
    description: str
    result_code: str = "Error"       # Error | Warning
    sku: str | None = None
    order_id: str | None = None      # AdditionalInfo/AmazonOrderID


def content_md5(body: bytes) -> str:
    return base64.b64encode(hashlib.md5(body).digest()).decode("ascii")


def report_xml(feed_id: str, merchant_id: str, processed: int, results: list[Result]) -> bytes:
    errors = {r.message_id for r in results if r.result_code == "Error" and r.message_id}
    rejected = any(r.result_code == "Error" and not r.message_id for r in results)   # whole document
    warnings = {r.message_id for r in results if r.result_code == "Warning" and r.message_id} - errors
    doc = etree.Element("AmazonEnvelope", nsmap={"xsi": XSI})
    doc.set(f"{{{XSI}}}noNamespaceSchemaLocation", "amzn-envelope.xsd")
    header = xmlgen.sub(doc, "Header")
    xmlgen.subs(header, [("DocumentVersion", "1.02"), ("MerchantIdentifier", merchant_id)])
    xmlgen.sub(doc, "MessageType", "ProcessingReport")
    message = xmlgen.sub(doc, "Message")
    xmlgen.sub(message, "MessageID", 1)
    report = xmlgen.sub(message, "ProcessingReport")
    xmlgen.subs(report, [("DocumentTransactionID", feed_id), ("StatusCode", "Complete")])
    summary = xmlgen.sub(report, "ProcessingSummary")
    xmlgen.subs(summary, [("MessagesProcessed", processed), ("MessagesSuccessful", processed - len(errors)),
                          ("MessagesWithError", len(errors) + rejected), ("MessagesWithWarning", len(warnings))])
    for r in results:
        el = xmlgen.sub(report, "Result")
        xmlgen.subs(el, [("MessageID", r.message_id), ("ResultCode", r.result_code),
                         ("ResultMessageCode", r.code), ("ResultDescription", r.description)])
        if r.sku is not None or r.order_id is not None:
            info = xmlgen.sub(el, "AdditionalInfo")
            xmlgen.subs(info, [("SKU", r.sku), ("AmazonOrderID", r.order_id)])
    etree.indent(doc, space="  ")
    return DECLARATION + etree.tostring(doc, encoding="utf-8")
