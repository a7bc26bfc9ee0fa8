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


# ------------------------------------------------------------- charsets (user-pitfalls §1.7)

JP_TSV = TSV.format(sku="商品①-1", text="価格が無効です①")


@pytest.mark.parametrize("charset", ["Windows-31J", "x-sjis", "Shift_JIS", "sjis", "MS932", "cp932"])
def test_given_a_cp932_flat_file_report_when_its_charset_has_any_jp_alias_then_japanese_and_circled_one_decode(
        charset):
    body = JP_TSV.encode("cp932")   # ① (0x8740) exists in CP932 only, not in JIS X 0208 Shift_JIS

    report = parse_processing_report(body, f"text/plain; charset={charset}")

    assert report["results"][0]["sku"] == "商品①-1"
    assert report["results"][0]["resultDescription"] == "価格が無効です①"
    assert (report["messagesProcessed"], report["messagesSuccessful"]) == (3, 1)


@pytest.mark.parametrize("declared", ["Windows-31J", "Shift_JIS"])
def test_given_a_cp932_xml_report_declaring_a_jp_encoding_when_parsing_then_japanese_and_circled_one_decode(
        declared):
    text = ERRORS_REPORT.replace('encoding="UTF-8"', f'encoding="{declared}"').replace(
        "SKU fehlt: Größe &amp; Farbe", "価格が無効です①").replace("MÜ-1", "商品①-1")
    body = text.encode("cp932")

    report = parse_processing_report(body, "text/xml")

    assert report["results"][0]["sku"] == "商品①-1"
    assert report["results"][0]["resultDescription"] == "価格が無効です①"
    assert report["messagesWithError"] == 2


def test_given_a_cp932_xml_report_without_declaration_when_content_type_says_windows_31j_then_it_decodes():
    body = ERRORS_REPORT.split("?>", 1)[1].replace("MÜ-1", "商品①-1").replace("Größe", "価格").encode("cp932")

    report = parse_processing_report(body, "text/xml; charset=Windows-31J")

    assert report["results"][0]["sku"] == "商品①-1"


@pytest.mark.parametrize("charset", ["iso-8859-1", "ISO-8859-1", "latin-1"])
def test_given_an_iso_8859_1_flat_file_holding_a_cp1252_euro_when_parsing_then_umlaut_and_euro_decode(charset):
    body = TSV.format(sku="GRÖSSE-1", text="Preis unter 5 €").encode("cp1252")
    assert b"\x80" in body   # € is 0x80 in Windows-1252, a C1 control in real ISO-8859-1

    report = parse_processing_report(body, f"text/tab-separated-values; charset={charset}")

    assert report["results"][0]["sku"] == "GRÖSSE-1"
    assert report["results"][0]["resultDescription"] == "Preis unter 5 €"


def test_given_an_xml_report_declared_iso_8859_1_holding_a_cp1252_euro_when_parsing_then_the_euro_decodes():
    text = ERRORS_REPORT.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("Farbe", "Farbe 5 €")
    body = text.encode("cp1252")

    report = parse_processing_report(body, "text/xml;charset=UTF-8")

    assert report["results"][0]["resultDescription"] == "SKU fehlt: Größe & Farbe 5 €"
    assert report["results"][0]["sku"] == "MÜ-1"


# ------------------------------------------------- localized headers, blank codes (§1.7, schema)

JP_LOCALIZED = ("フィード処理の概要:\n\t処理されたレコード数\t\t3\n\t成功したレコード数\t\t1\n\n"
                "元のレコード番号\tSKU\tエラーコード\tエラータイプ\tエラーメッセージ\n"
                "2\t商品①-1\t8560\tエラー\t価格が無効です\n"
                "3\tB-2\t\tエラー\t値がありません\n"
                "3\tB-2\t8008\t警告\tタイトルを確認してください\n")


def test_given_a_flat_file_report_with_japanese_summary_and_headers_when_parsing_then_columns_are_read_by_position():
    report = parse_processing_report(JP_LOCALIZED.encode("cp932"), "text/plain; charset=Windows-31J")

    assert (report["messagesProcessed"], report["messagesSuccessful"], report["messagesWithError"],
            report["messagesWithWarning"]) == (3, 1, 2, 1)
    assert report["results"] == [
        {"messageId": 2, "resultCode": "Error", "resultMessageCode": 8560,
         "resultDescription": "価格が無効です", "sku": "商品①-1"},
        {"messageId": 3, "resultCode": "Error",
         "resultDescription": "値がありません", "sku": "B-2"},
        {"messageId": 3, "resultCode": "Warning", "resultMessageCode": 8008,
         "resultDescription": "タイトルを確認してください", "sku": "B-2"},
    ]


def test_given_an_english_flat_file_with_a_blank_error_code_when_parsing_then_no_code_and_the_out_schema_holds():
    body = TSV.format(sku="A-1", text="x").replace("\t8560\t", "\t\t").encode("utf-8")

    report = parse_processing_report(body, "text/plain; charset=UTF-8")

    assert report["results"][0] == {"messageId": 2, "resultCode": "Error",
                                    "resultDescription": "x", "sku": "A-1"}
    _report_validator().validate(report)


def test_given_an_xml_result_without_result_message_code_when_parsing_then_code_0_and_the_out_schema_holds():
    body = ERRORS_REPORT.replace("<ResultMessageCode>13013</ResultMessageCode>", "").encode()

    report = parse_processing_report(body)

    assert "resultMessageCode" not in report["results"][0]
    _report_validator().validate(report)


def test_given_english_columns_in_another_order_when_parsing_then_they_are_read_by_name():
    body = ("Feed Processing Summary:\n\tNumber of records processed\t\t1\n\tNumber of records successful\t\t0\n\n"
            "sku\toriginal-record-number\terror-type\terror-code\terror-message\n"
            "A-1\t1\tError\t8560\tbad\n").encode()

    report = parse_processing_report(body)

    assert report["results"] == [{"messageId": 1, "resultCode": "Error", "resultMessageCode": 8560,
                                   "resultDescription": "bad", "sku": "A-1"}]


@pytest.mark.parametrize("body", [b"<AmazonEnvelope><Message>", b"<Other/>", b"hello\tworld", b"\x00\x81garbage",
                                  ERRORS_REPORT.replace("<MessageID>2</MessageID>", "<MessageID>two</MessageID>").encode()])
def test_given_a_broken_report_when_parsing_then_malformed_response_that_is_not_retriable(body):
    # The body passed its Content-MD5 check: fetching it again gives the same bytes, the same failure.
    with pytest.raises(MalformedResponse) as raised:
        parse_processing_report(body)

    assert raised.value.retriable is False and raised.value.as_error()["retriable"] is False


def _report_validator():
    import json

    from jsonschema import Draft202012Validator

    from tests.conftest import PROJECT_ROOT

    schema = json.loads((PROJECT_ROOT / "schemas" / "common" / "feedResult.json").read_text())
    return Draft202012Validator({"$ref": "#/$defs/processingReport", "$defs": schema["$defs"]})
