"""Counts and ids of a processing report are ProcessingReport.xsd's `\\d{1,20}`: anything else — a
5,000-digit number past int()'s limit, a sign, a fraction, other scripts' digits — is a
MalformedResponse naming the field, in XML and flat-file reports alike (hardening, line 6). A declared
charset that is no charset (base64, unicode_escape) or lets a lone surrogate through (UTF-7) never
leaves a string the step's answer could not encode."""
from __future__ import annotations

import json

import pytest

from app.feeds.report import parse_processing_report
from app.mws.errors import MalformedResponse

FLAT = ("Feed Processing Summary:\n\tNumber of records processed\t\t{count}\n\tNumber of records successful\t\t1\n\n"
        "original-record-number\tsku\terror-code\terror-type\terror-message\n"
        "{record}\tB-2\t{code}\tError\tA value is missing\n")
XML = ("<AmazonEnvelope><Message><ProcessingReport><StatusCode>Complete</StatusCode><ProcessingSummary>"
       "<MessagesProcessed>{count}</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful>"
       "<MessagesWithError>1</MessagesWithError><MessagesWithWarning>0</MessagesWithWarning></ProcessingSummary>"
       "<Result><MessageID>{record}</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>{code}</ResultMessageCode>"
       "<ResultDescription>bad</ResultDescription></Result></ProcessingReport></Message></AmazonEnvelope>")
NAMES = {"count": ("number of records processed", "MessagesProcessed"),
         "record": ("original-record-number", "MessageID"),
         "code": ("error-code", "ResultMessageCode")}


@pytest.mark.parametrize("template", [FLAT, XML], ids=["flat", "xml"])
@pytest.mark.parametrize("field", list(NAMES))
@pytest.mark.parametrize("value", ["9" * 5000, "1" * 21, "-3", "2.5", "0x10", "٣", "²"])
def test_given_an_impossible_number_when_parsing_then_malformed_response_naming_the_field(template, field, value):
    body = template.format(**{"count": 2, "record": 2, "code": 8560, field: value}).encode("utf-8")

    with pytest.raises(MalformedResponse) as raised:
        parse_processing_report(body, "text/plain;charset=UTF-8")

    message = raised.value.message
    assert NAMES[field][template is XML] in message and value not in message
    assert raised.value.retriable is False


@pytest.mark.parametrize("template", [FLAT, XML], ids=["flat", "xml"])
def test_given_twenty_digit_numbers_when_parsing_then_they_are_integers(template):
    big = "9" * 20
    report = parse_processing_report(template.format(count=big, record=big, code=big).encode(), "text/plain")

    assert report["messagesProcessed"] == int(big) and report["results"][0]["messageId"] == int(big)


FLAT_SKU = ("Feed Processing Summary:\n\tNumber of records processed\t\t1\n\tNumber of records successful\t\t0\n\n"
            "original-record-number\tsku\terror-code\terror-type\terror-message\n1\t{sku}\t8560\tError\tbad\n")


@pytest.mark.parametrize("body,content_type", [
    (FLAT_SKU.format(sku="A\\ud800").encode(), "text/plain;charset=unicode_escape"),
    (FLAT_SKU.format(sku="A+2AA-").encode(), "text/plain;charset=UTF-7"),
    (FLAT_SKU.format(sku="QQ==").encode(), "text/plain;charset=base64"),
    (b'<?xml version="1.0" encoding="utf-7"?><AmazonEnvelope><Message><ProcessingReport><StatusCode>A+2AA-</StatusCode>'
     b"</ProcessingReport></Message></AmazonEnvelope>", None),
    (b'<?xml version="1.0" encoding="hex"?><AmazonEnvelope/>', "text/xml;charset=rot13"),
], ids=["unicode-escape", "utf-7-flat", "base64", "utf-7-xml", "hex"])
def test_given_a_charset_that_is_no_charset_or_yields_surrogates_when_parsing_then_a_report_utf8_can_carry_or_malformed(
        body, content_type):
    try:
        report = parse_processing_report(body, content_type)
    except MalformedResponse:
        return
    text = repr(report)
    assert not any("\ud800" <= ch <= "\udfff" for ch in text)
    json.dumps(report, ensure_ascii=False).encode("utf-8")  # what the step's answer does with it
