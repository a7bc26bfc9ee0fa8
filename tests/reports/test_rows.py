"""The report parser: rows keyed by the report's own header line, whatever the charset, the chunking
or Amazon's flat-file quirks (reports.md §4–5)."""
from __future__ import annotations

import codecs

import pytest

from app.reports import MalformedReport, RowReader, decode, iter_rows, rows

JAPAN, US = "A1VC38T7YXB528", "ATVPDKIKX0DER"
LISTING = "item-name\tseller-sku\tprice\n"


def one_byte_chunks(body: bytes) -> list[bytes]:
    return [body[i:i + 1] for i in range(len(body))]


async def chunks_of(body: bytes, size: int):
    for i in range(0, len(body), size):
        yield body[i:i + size]


def test_given_a_header_line_when_rows_are_read_then_each_row_is_keyed_by_the_reports_own_names():
    body = b"seller-sku\tasin\tQuantity Available\nSKU-1\tB000000001\t7\nSKU-2\tB000000002\t0\n"
    assert list(iter_rows(body)) == [{"seller-sku": "SKU-1", "asin": "B000000001", "Quantity Available": "7"},
                                     {"seller-sku": "SKU-2", "asin": "B000000002", "Quantity Available": "0"}]


def test_given_a_cp1252_report_declared_by_content_type_then_accents_and_euro_decode():
    body = (LISTING + "Crème brûlée set – 20 €\tSKU-É\t19.99\n").encode("cp1252")
    [row] = iter_rows(body, content_type="text/plain;charset=Cp1252")
    assert row == {"item-name": "Crème brûlée set – 20 €", "seller-sku": "SKU-É", "price": "19.99"}


def test_given_iso_8859_1_declared_then_it_is_read_as_windows_1252_as_amazon_sends_it():
    body = (LISTING + "Amazon’s “best” kettle\tK-1\t5.00\n").encode("cp1252")
    [row] = iter_rows(body, content_type="text/plain; charset=ISO-8859-1")
    assert row["item-name"] == "Amazon’s “best” kettle"


def test_given_no_declaration_then_the_marketplace_decides_cp932_in_japan_and_cp1252_elsewhere():
    jp = (LISTING + "宇治抹茶 100g ～ 茶道用\tSBX-JP-006\t1980\n").encode("cp932")
    assert next(iter_rows(jp, marketplace_id=JAPAN))["item-name"] == "宇治抹茶 100g ～ 茶道用"
    us = (LISTING + "Café\tC-1\t1.00\n").encode("cp1252")
    assert next(iter_rows(us, marketplace_id=US))["item-name"] == "Café"


def test_given_windows_31j_declared_then_cp932_only_characters_survive():
    body = (LISTING + "木製 ブックスタンド ① 卓上\tSBX-JP-007\t2480\n").encode("cp932")
    [row] = iter_rows(body, content_type="text/plain;charset=Windows-31J", marketplace_id=US)
    assert row["item-name"] == "木製 ブックスタンド ① 卓上"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
async def test_given_chunks_that_split_a_multibyte_character_then_it_decodes_whole(size):
    body = (LISTING + "今治タオル バスタオル 2枚組\tSBX-JP-003\t2980\n").encode("cp932")
    found = [row async for row in rows(chunks_of(body, size), marketplace_id=JAPAN)]
    assert found == [{"item-name": "今治タオル バスタオル 2枚組", "seller-sku": "SBX-JP-003", "price": "2980"}]


def test_given_a_utf8_bom_split_over_chunks_then_it_wins_over_the_declared_charset_and_leaves_no_trace():
    body = codecs.BOM_UTF8 + (LISTING + "Café ☕\tC-1\t1.00\n").encode("utf-8")
    [row] = iter_rows(one_byte_chunks(body), content_type="text/plain;charset=Cp1252")
    assert list(row) == ["item-name", "seller-sku", "price"]       # not "\ufeffitem-name"
    assert row["item-name"] == "Café ☕"


def test_given_a_utf16_report_with_its_bom_then_the_first_header_is_clean():
    body = ("\ufeff" + LISTING + "A\tB\tC\n").encode("utf-16-le")
    assert list(next(iter_rows(body, content_type="text/plain;charset=UTF-16LE"))) == \
        ["item-name", "seller-sku", "price"]


def test_given_crlf_line_ends_and_a_trailing_tab_then_no_carriage_return_or_empty_column_remains():
    body = b"seller-sku\tquantity\t\r\nA\t1\t\r\nB\t2\t\r\n"
    assert list(iter_rows(body)) == [{"seller-sku": "A", "quantity": "1"}, {"seller-sku": "B", "quantity": "2"}]


def test_given_quotes_in_a_tab_separated_report_then_they_are_data_not_quoting():
    body = b'item-name\tprice\n"Big" 12" pan\t9.99\n'
    assert next(iter_rows(body))["item-name"] == '"Big" 12" pan'


def test_given_short_long_and_blank_lines_then_missing_cells_are_empty_and_extra_ones_kept():
    body = b"a\tb\tc\n1\n\n1\t2\t3\t4\n"
    assert list(iter_rows(body)) == [{"a": "1", "b": "", "c": ""}, {"a": "1", "b": "2", "c": "3", "column-4": "4"}]


def test_given_a_report_served_as_csv_then_the_comma_header_is_sniffed():
    body = b'sku,item-name,price\r\nA,"Pan, 12""",9.99\r\n'
    assert list(iter_rows(body)) == [{"sku": "A", "item-name": 'Pan, 12"', "price": "9.99"}]


@pytest.mark.parametrize("body", [b"", b"\r\n", codecs.BOM_UTF8, b"item-name\tprice\r\n"])
def test_given_an_empty_report_then_there_are_no_rows(body):
    assert list(iter_rows(body)) == []


def test_given_a_line_longer_than_the_limit_then_a_malformed_report_error_and_no_crash():
    reader = RowReader(max_line=100)
    reader.feed(b"a\tb\n")
    with pytest.raises(MalformedReport, match="longer than 100") as caught:
        for _ in range(10):
            reader.feed(b"x" * 20)                     # no newline: the excess is seen before the line ends
    assert caught.value.code == "MalformedResponse" and caught.value.retriable is False


def test_given_the_default_limit_then_a_two_megabyte_line_is_refused():
    with pytest.raises(MalformedReport):
        list(iter_rows([b"a\tb\n"] + [b"y" * 65536] * 32))


async def test_given_decode_then_the_text_comes_back_in_the_chosen_charset_without_the_bom():
    body = codecs.BOM_UTF8 + "héllo ～".encode("utf-8")
    assert "".join([t async for t in decode(chunks_of(body, 1))]) == "héllo ～"
    jp = "宇治抹茶".encode("cp932")
    assert "".join([t async for t in decode(jp, marketplace_id=JAPAN)]) == "宇治抹茶"


def test_given_a_reader_then_it_reports_the_codec_it_chose():
    reader = RowReader(content_type="text/plain;charset=Windows-31J")
    reader.feed(b"a\tb\n")
    assert reader.codec == "cp932"


async def test_given_a_gzip_document_in_chunks_then_rows_come_through_gunzip():
    import gzip

    from app.reports import gunzip
    body = gzip.compress((LISTING + "Café\tC-1\t1.00\n" * 1000).encode("cp1252"))
    found = [row async for row in rows(gunzip(chunks_of(body, 100), max_chunk=512), marketplace_id=US)]
    assert len(found) == 1000 and found[0]["item-name"] == "Café"


async def test_given_a_cut_gzip_document_then_malformed_report():
    import gzip

    from app.reports import gunzip
    body = gzip.compress(b"a\tb\n1\t2\n" * 100)[:-12]
    with pytest.raises(MalformedReport):
        [piece async for piece in gunzip(chunks_of(body, 50))]
