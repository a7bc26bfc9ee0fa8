"""Specification of Content-MD5 (mws-api.md §4.2): base64 of the MD5 of the exact bytes."""
from __future__ import annotations

from app.feeds import content_md5, verify_md5
from tests.conftest import SAMPLES, require_shared


def test_given_python_amazon_mws_vector_when_hashing_then_known_value():
    assert content_md5(b"abc\tdef") == "Zj+Bh1BJ8HzBb9ToK28qFQ=="


def test_given_the_official_1488_byte_product_feed_when_hashing_then_documented_value():
    sample = require_shared(SAMPLES / "official-docs" / "feeds_SubmitFeed_request_body_product_feed.xml")
    body = sample.read_bytes()

    assert len(body) == 1488
    assert content_md5(body) == "4+qvAGCkaKM7S+cAH9btCg=="


def test_given_a_matching_header_when_verifying_then_true():
    assert verify_md5(b"abc\tdef", "Zj+Bh1BJ8HzBb9ToK28qFQ==")
    assert verify_md5(b"abc\tdef", " Zj+Bh1BJ8HzBb9ToK28qFQ== ")


def test_given_a_different_or_missing_header_when_verifying_then_false():
    assert not verify_md5(b"abc\tdeg", "Zj+Bh1BJ8HzBb9ToK28qFQ==")
    assert not verify_md5(b"abc\tdef", None)
    assert not verify_md5(b"abc\tdef", "")
