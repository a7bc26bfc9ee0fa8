"""Credentials from cfg, redacted at the source."""
from __future__ import annotations

import pytest

from app.mws.credentials import Credentials
from app.mws.errors import RequestError

from .builders import CFG


def test_given_cfg_when_built_then_fields_are_taken_and_trimmed():
    c = Credentials.from_cfg({**CFG, "sellerId": " A1EXAMPLESELLER ", "endpointUrl": "", "_account": "x"})
    assert c.seller_id == "A1EXAMPLESELLER"
    assert c.endpoint_url is None
    assert c.mws_auth_token == CFG["mwsAuthToken"]


def test_given_credentials_when_printed_then_neither_secret_nor_token_appears():
    c = Credentials.from_cfg(CFG)
    for text in (repr(c), str(c), f"{c}", f"{c!r}", repr([c])):
        assert CFG["secretAccessKey"] not in text
        assert CFG["mwsAuthToken"] not in text
        assert "A1EXAMPLESELLER" in text


def test_given_a_missing_required_field_when_built_then_a_request_error_names_the_field_not_values():
    with pytest.raises(RequestError) as info:
        Credentials.from_cfg({**CFG, "secretAccessKey": ""})
    assert "secretAccessKey" in info.value.message
    assert CFG["mwsAuthToken"] not in info.value.message


def test_given_a_text_echoing_credentials_in_any_encoding_when_masked_then_none_remains():
    import re
    from urllib.parse import quote, quote_plus

    c = Credentials.from_cfg(CFG)
    secret, token, key = CFG["secretAccessKey"], CFG["mwsAuthToken"], CFG["accessKeyId"]
    lower_hex = re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(secret, safe=""))
    text = " ".join([secret, token, key, quote(secret, safe=""), quote_plus(secret), lower_hex,
                     f"MWSAuthToken={quote(token)}&AWSAccessKeyId={key}"])
    masked = c.mask(text)
    for value in (secret, token, key, quote(secret, safe=""), quote_plus(secret), lower_hex, "EXAMPLEsecret"):
        assert value not in masked
    assert c.mask(None) is None and c.mask("") == "" and c.mask("nothing here") == "nothing here"
