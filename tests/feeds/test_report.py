"""Specification of the processing-report parser (XML and flat-file reports, mws-api.md §4.4)."""
from __future__ import annotations

import pytest

from app.feeds.report import parse_processing_report
from app.mws.errors import MalformedResponse
from tests.conftest import SAMPLES, require_shared

ERRORS_REPORT = """<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.02</DocumentVersion><MerchantIdentifier>M</MerchantIdentifier></Header>
  <MessageType>ProcessingReport</MessageType>
  <Message><MessageID>1</MessageID>
    <ProcessingReport>
      <DocumentTransactionID>51793018437</DocumentTransactionID>
      <StatusCode>Complete</StatusCode>
      <ProcessingSummary>
        <MessagesProcessed>3</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful>
        <MessagesWithError>2</MessagesWithError><MessagesWithWarning>1</MessagesWithWarning>
      </ProcessingSummary>
      <Result>
        <MessageID>2</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>13013</ResultMessageCode>
        <ResultDescription>SKU fehlt: Größe &amp; Farbe</ResultDescription>
        <AdditionalInfo><SKU>MÜ-1</SKU></AdditionalInfo>
      </Result>
      <Result>
        <MessageID>3</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>18028</ResultMessageCode>
        <ResultDescription>Your order cannot be found</ResultDescription>
        <AdditionalInfo><AmazonOrderID>902-3159896-1390916</AmazonOrderID>
          <AmazonOrderItemCode>12345678901234</AmazonOrderItemCode></AdditionalInfo>
      </Result>
      <Result>
        <MessageID>0</MessageID><ResultCode>Warning</ResultCode><ResultMessageCode>5000</ResultMessageCode>
        <ResultDescription>Whole document</ResultDescription>
      </Result>
    </ProcessingReport>
  </Message>
</AmazonEnvelope>"""

TSV = ("Feed Processing Summary:\n\tNumber of records processed\t\t3\n\tNumber of records successful\t\t1\n\n"
       "original-record-number\tsku\terror-code\terror-type\terror-message\n"
       "2\t{sku}\t8560\tError\t{text}\n"
       "3\tB-2\t99001\tError\tA value is missing\n"
       "3\tB-2\t8008\tWarning\tCheck the title\n")


def test_given_the_official_sample_when_parsing_then_an_empty_report_with_integer_counts():
    sample = require_shared(SAMPLES / "official-docs" / "feeds_GetFeedSubmissionResult_processing_report.xml")

    report = parse_processing_report(sample.read_bytes(), "text/xml;charset=UTF-8")

    assert report == {"messagesProcessed": 0, "messagesSuccessful": 0, "messagesWithError": 0,
                      "messagesWithWarning": 0, "results": []}


def test_given_a_report_with_errors_when_parsing_then_counts_codes_are_ints_and_additional_info_is_flat():
    report = parse_processing_report(ERRORS_REPORT.encode("utf-8"), "text/xml;charset=UTF-8")

    assert report["statusCode"] == "Complete"
    assert (report["messagesProcessed"], report["messagesSuccessful"], report["messagesWithError"],
            report["messagesWithWarning"]) == (3, 1, 2, 1)
    assert report["results"] == [
        {"messageId": 2, "resultCode": "Error", "resultMessageCode": 13013,
         "resultDescription": "SKU fehlt: Größe & Farbe", "sku": "MÜ-1"},
        {"messageId": 3, "resultCode": "Error", "resultMessageCode": 18028,
         "resultDescription": "Your order cannot be found", "amazonOrderID": "902-3159896-1390916",
         "amazonOrderItemCode": "12345678901234"},
        {"messageId": 0, "resultCode": "Warning", "resultMessageCode": 5000, "resultDescription": "Whole document"},
    ]


def test_given_a_namespaced_report_when_parsing_then_elements_are_found_by_local_name():
    body = ERRORS_REPORT.replace("<AmazonEnvelope ", '<AmazonEnvelope xmlns="urn:example" ').encode()

    assert parse_processing_report(body)["messagesWithError"] == 2


def test_given_an_iso_8859_1_xml_declaration_when_parsing_then_umlauts_decode():
    body = ERRORS_REPORT.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("iso-8859-1")

    report = parse_processing_report(body, "text/xml;charset=UTF-8")

    assert report["results"][0]["sku"] == "MÜ-1"


def test_given_xml_without_declaration_when_content_type_names_a_charset_then_it_is_used():
    body = ERRORS_REPORT.split("?>", 1)[1].encode("iso-8859-1")

    report = parse_processing_report(body, "text/xml; charset=iso-8859-1")

    assert report["results"][0]["resultDescription"] == "SKU fehlt: Größe & Farbe"


def test_given_an_iso_8859_1_flat_file_report_when_parsing_then_umlauts_and_counts_are_right():
    body = TSV.format(sku="MÜLLER-1", text="Ungültiger Wert für Größe").encode("iso-8859-1")

    report = parse_processing_report(body, "text/plain;charset=iso-8859-1")

    assert report["statusCode"] == "Complete"
    assert (report["messagesProcessed"], report["messagesSuccessful"], report["messagesWithError"],
            report["messagesWithWarning"]) == (3, 1, 2, 1)
    assert report["results"][0] == {"messageId": 2, "resultCode": "Error", "resultMessageCode": 8560,
                                    "resultDescription": "Ungültiger Wert für Größe", "sku": "MÜLLER-1"}
    assert [r["resultCode"] for r in report["results"]] == ["Error", "Error", "Warning"]


def test_given_a_shift_jis_flat_file_report_when_parsing_then_japanese_text_decodes():
    body = TSV.format(sku="商品-1", text="価格が無効です").encode("shift_jis")

    report = parse_processing_report(body, "text/plain; charset=Shift_JIS")

    assert report["results"][0]["sku"] == "商品-1"
    assert report["results"][0]["resultDescription"] == "価格が無効です"


def test_given_an_undeclared_windows_1252_flat_file_when_parsing_then_it_still_decodes():
    body = TSV.format(sku="Ä-1", text="Größe").encode("cp1252")

    assert parse_processing_report(body, "text/plain")["results"][0]["sku"] == "Ä-1"


def test_given_a_dtd_with_entities_when_parsing_then_it_is_refused():
    body = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<AmazonEnvelope><Message><ProcessingReport><StatusCode>&x;</StatusCode>"
            b"</ProcessingReport></Message></AmazonEnvelope>")

    with pytest.raises(MalformedResponse):
        parse_processing_report(body)


@pytest.mark.parametrize("body", [b"<AmazonEnvelope><Message>", b"<Other/>", b"hello\tworld",
                                  ERRORS_REPORT.replace("<MessageID>2</MessageID>", "<MessageID>two</MessageID>").encode()])
def test_given_a_broken_report_when_parsing_then_malformed_response(body):
    with pytest.raises(MalformedResponse):
        parse_processing_report(body)
