"""Signature Version 2 (mws-api.md §1.3, §1.4): the vector, the encoding rules, and the wire."""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timezone
from urllib.parse import parse_qsl

import httpx
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from app.mws.auth import (
    FORM_CONTENT_TYPE,
    SignatureV2,
    canonical_query,
    content_md5,
    host_of,
    sign,
    string_to_sign,
    timestamp,
)
from app.mws.credentials import Credentials

from .builders import CFG, reference_signature

VECTOR_C = {
    "AWSAccessKeyId": "AKIAEXAMPLEACCESSKEY", "Action": "ListOrders", "SellerId": "A1EXAMPLESELLER",
    "MWSAuthToken": "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE", "SignatureMethod": "HmacSHA256",
    "SignatureVersion": "2", "Timestamp": "2017-02-05T18:12:21.687Z", "Version": "2013-09-01",
    "CreatedAfter": "2017-02-01T18:12:21Z", "MarketplaceId.Id.1": "ATVPDKIKX0DER",
    "MarketplaceId.Id.2": "A2EUQ1WTGCTBG2", "OrderStatus.Status.1": "Unshipped",
    "OrderStatus.Status.2": "PartiallyShipped", "BuyerEmail": "a b+c/d=é~x@example.com",
}
VECTOR_C_CANONICAL = (
    "AWSAccessKeyId=AKIAEXAMPLEACCESSKEY&Action=ListOrders&BuyerEmail=a%20b%2Bc%2Fd%3D%C3%A9~x%40example.com"
    "&CreatedAfter=2017-02-01T18%3A12%3A21Z&MWSAuthToken=amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"
    "&MarketplaceId.Id.1=ATVPDKIKX0DER&MarketplaceId.Id.2=A2EUQ1WTGCTBG2&OrderStatus.Status.1=Unshipped"
    "&OrderStatus.Status.2=PartiallyShipped&SellerId=A1EXAMPLESELLER&SignatureMethod=HmacSHA256"
    "&SignatureVersion=2&Timestamp=2017-02-05T18%3A12%3A21.687Z&Version=2013-09-01"
)
FIXED_NOW = 1_486_318_341.687  # 2017-02-05T18:12:21.687Z


def test_given_vector_c_when_signed_then_canonical_query_and_signature_match_the_reference():
    sts = string_to_sign("POST", "MWS.AmazonServices.com", "/Orders/2013-09-01", VECTOR_C)
    assert sts.split("\n")[:3] == ["POST", "mws.amazonservices.com", "/Orders/2013-09-01"]
    assert sts.split("\n")[3] == VECTOR_C_CANONICAL
    assert sign(sts, "EXAMPLEsecret/Key+123=") == "lnBucMqhvVDXXoUyh8Ok//KsxKI3rs7XACUGNZHa44s="


def test_given_hmac_sha1_when_signed_then_it_is_the_sha1_hmac_of_the_same_string():
    params = {**VECTOR_C, "SignatureMethod": "HmacSHA1"}
    sts = string_to_sign("POST", "mws.amazonservices.com", "/Orders/2013-09-01", params)
    expected = base64.b64encode(hmac.new(b"EXAMPLEsecret/Key+123=", sts.encode(), hashlib.sha1).digest()).decode()
    assert sign(sts, "EXAMPLEsecret/Key+123=", "HmacSHA1") == expected
    assert len(base64.b64decode(expected)) == 20


def test_given_an_unknown_signature_method_when_signing_then_it_is_refused():
    with pytest.raises(ValueError):
        sign("x", "secret", "HmacMD5")


def _independent_canonical(params: dict[str, str]) -> str:
    """Byte-level RFC 3986 encoding and byte-order sort, written without urllib."""
    unreserved = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    def enc(s: str) -> str:
        return "".join(chr(b) if b in unreserved else f"%{b:02X}" for b in s.encode("utf-8"))

    items = sorted(((k.encode("utf-8"), k, v) for k, v in params.items() if k != "Signature"))
    return "&".join(f"{enc(k)}={enc(v)}" for _, k, v in items)


_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("+/=~ -_.*%&?#é€中😀aZ09")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=12,
)


@hsettings(max_examples=300, deadline=None)
@given(st.dictionaries(keys=_text.filter(bool), values=st.one_of(_text, st.just("")), max_size=8))
def test_given_any_parameters_when_canonicalized_then_it_matches_an_independent_formulation(params):
    assert canonical_query(params) == _independent_canonical(params)


def test_given_empty_values_and_specials_when_canonicalized_then_equals_sign_is_kept_and_space_is_pct20():
    assert canonical_query({"B": "", "A": "x y+z", "a": "~"}) == "A=x%20y%2Bz&B=&a=~"


def test_given_a_non_ascii_name_when_sorted_then_byte_order_puts_it_after_ascii_letters():
    assert canonical_query({"aé": "1", "ab": "2"}) == "ab=2&a%C3%A9=1"


@pytest.mark.parametrize(
    "url, host",
    [
        ("https://MWS.AmazonServices.com/Orders/2013-09-01", "mws.amazonservices.com"),
        ("https://mws.amazonservices.com:443/", "mws.amazonservices.com"),
        ("http://127.0.0.1:80/", "127.0.0.1"),
        ("http://127.0.0.1:8000/sandbox/mws", "127.0.0.1:8000"),
        ("https://example.com:8443/", "example.com:8443"),
    ],
)
def test_given_a_url_when_taking_the_host_then_it_is_lowercased_with_only_non_default_ports(url, host):
    assert host_of(httpx.URL(url)) == host


def test_given_an_epoch_when_formatted_then_it_is_utc_z_with_milliseconds():
    assert timestamp(FIXED_NOW) == "2017-02-05T18:12:21.687Z"
    assert timestamp(0) == "1970-01-01T00:00:00.000Z"


def _flow(auth: SignatureV2, request: httpx.Request) -> httpx.Request:
    return next(auth.auth_flow(request))


def test_given_a_form_request_when_signed_then_the_body_carries_the_credentials_and_a_valid_signature():
    auth = SignatureV2(Credentials.from_cfg(CFG), now=lambda: FIXED_NOW)
    request = httpx.Request("POST", "http://127.0.0.1:8000/sandbox/mws/Orders/2013-09-01",
                            content=b"Action=ListOrders&Version=2013-09-01&MarketplaceId.Id.1=ATVPDKIKX0DER",
                            headers={"Content-Type": FORM_CONTENT_TYPE})
    signed = _flow(auth, request)
    params = dict(parse_qsl(signed.content.decode(), keep_blank_values=True))
    assert signed.headers["Content-Type"] == "application/x-www-form-urlencoded; charset=utf-8"
    assert int(signed.headers["Content-Length"]) == len(signed.content)
    assert params["Timestamp"] == "2017-02-05T18:12:21.687Z"
    assert params["SellerId"] == CFG["sellerId"] and params["MWSAuthToken"] == CFG["mwsAuthToken"]
    assert params["SignatureMethod"] == "HmacSHA256" and params["SignatureVersion"] == "2"
    assert params["Signature"] == reference_signature(
        "POST", "127.0.0.1:8000", "/sandbox/mws/Orders/2013-09-01", params, CFG["secretAccessKey"])
    assert signed.url.query == b""


def test_given_no_auth_token_when_signed_then_mwsauthtoken_is_omitted():
    auth = SignatureV2(Credentials.from_cfg({**CFG, "mwsAuthToken": ""}), now=lambda: FIXED_NOW)
    request = httpx.Request("POST", "https://mws.amazonservices.com/Sellers/2011-07-01",
                            content=b"Action=ListMarketplaceParticipations&Version=2011-07-01",
                            headers={"Content-Type": FORM_CONTENT_TYPE})
    params = dict(parse_qsl(_flow(auth, request).content.decode()))
    assert "MWSAuthToken" not in params


def test_given_sha1_auth_when_signed_then_the_signature_verifies_with_sha1():
    auth = SignatureV2(Credentials.from_cfg(CFG), method="HmacSHA1", now=lambda: FIXED_NOW)
    request = httpx.Request("POST", "https://mws.amazonservices.com/Orders/2013-09-01",
                            content=b"Action=GetOrder&Version=2013-09-01",
                            headers={"Content-Type": FORM_CONTENT_TYPE})
    params = dict(parse_qsl(_flow(auth, request).content.decode()))
    assert params["SignatureMethod"] == "HmacSHA1"
    assert params["Signature"] == reference_signature(
        "POST", "mws.amazonservices.com", "/Orders/2013-09-01", params, CFG["secretAccessKey"], hashlib.sha1)


def test_given_a_raw_feed_body_when_signed_then_only_the_query_is_signed_with_its_content_md5():
    feed = b'<?xml version="1.0"?><AmazonEnvelope>caf\xc3\xa9 + = /</AmazonEnvelope>'
    auth = SignatureV2(Credentials.from_cfg(CFG), now=lambda: FIXED_NOW)
    request = httpx.Request("POST", "https://mws.amazonservices.com/Feeds/2009-01-01",
                            params={"Action": "SubmitFeed", "Version": "2009-01-01",
                                    "FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_"},
                            content=feed, headers={"Content-Type": "text/xml"})
    signed = _flow(auth, request)
    params = dict(parse_qsl(signed.url.query.decode(), keep_blank_values=True))
    assert signed.content == feed
    assert signed.headers["Content-Type"] == "text/xml"
    assert params["ContentMD5Value"] == base64.b64encode(hashlib.md5(feed).digest()).decode() == content_md5(feed)
    assert params["Signature"] == reference_signature(
        "POST", "mws.amazonservices.com", "/Feeds/2009-01-01", params, CFG["secretAccessKey"])


def test_given_the_documented_md5_vector_when_hashed_then_it_matches():
    assert content_md5(b"abc\tdef") == "Zj+Bh1BJ8HzBb9ToK28qFQ=="


def test_given_the_default_clock_when_signing_then_the_real_wall_clock_is_used():
    import time

    auth = SignatureV2(Credentials.from_cfg(CFG))
    request = httpx.Request("POST", "https://mws.amazonservices.com/Orders/2013-09-01",
                            content=b"Action=GetOrder&Version=2013-09-01",
                            headers={"Content-Type": FORM_CONTENT_TYPE})
    before = time.time()
    params = dict(parse_qsl(_flow(auth, request).content.decode()))
    sent = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert before - 1 <= sent.timestamp() <= time.time() + 1
