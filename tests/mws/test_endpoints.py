"""Marketplaces and endpoint precedence (mws-api.md §2, contract §4)."""
from __future__ import annotations

import pytest

from app.mws.endpoints import MARKETPLACE_INFO, MARKETPLACES, endpoint_for, url_for
from app.mws.errors import RequestError


def test_given_the_documented_table_then_there_are_21_marketplaces_with_labels_naming_their_ids():
    assert len(MARKETPLACES) == 21
    assert MARKETPLACES["ATVPDKIKX0DER"] == "United States (ATVPDKIKX0DER)"
    assert all(mid in label for mid, label in MARKETPLACES.items())


@pytest.mark.parametrize(
    "marketplace, endpoint, country",
    [
        ("ATVPDKIKX0DER", "https://mws.amazonservices.com", "US"),
        ("A2Q3Y263D00KWC", "https://mws.amazonservices.com", "BR"),
        ("A2EUQ1WTGCTBG2", "https://mws.amazonservices.ca", "CA"),
        ("A1AM78C64UM0Y8", "https://mws.amazonservices.com.mx", "MX"),
        ("A2VIGQ35RCS4UG", "https://mws.amazonservices.ae", "AE"),
        ("A1F83G8C2ARO7P", "https://mws-eu.amazonservices.com", "GB"),
        ("AMEN7PMS3EDWL", "https://mws-eu.amazonservices.com", "BE"),
        ("A21TJRUUN4KGV", "https://mws.amazonservices.in", "IN"),
        ("A19VAU5U5O7RUS", "https://mws-fe.amazonservices.com", "SG"),
        ("A39IBJ37TRP1C6", "https://mws.amazonservices.com.au", "AU"),
        ("A1VC38T7YXB528", "https://mws.amazonservices.jp", "JP"),
    ],
)
def test_given_a_marketplace_when_no_override_then_its_documented_endpoint_is_used(marketplace, endpoint, country):
    assert endpoint_for(marketplace) == endpoint
    assert MARKETPLACE_INFO[marketplace].country == country


def test_given_an_endpoint_url_when_resolving_then_it_wins_over_the_default_and_the_marketplace():
    assert endpoint_for("ATVPDKIKX0DER", "http://127.0.0.1:9000/", default="http://x") == "http://127.0.0.1:9000"


def test_given_a_service_default_when_no_endpoint_url_then_the_default_wins_over_the_marketplace():
    assert endpoint_for("ATVPDKIKX0DER", None, default="http://127.0.0.1:8000/sandbox/mws") == \
        "http://127.0.0.1:8000/sandbox/mws"


def test_given_an_unknown_marketplace_without_override_then_a_request_error_names_it():
    with pytest.raises(RequestError) as info:
        endpoint_for("XNOTAMARKET")
    assert info.value.code == "InvalidParameterValue"
    assert "XNOTAMARKET" in info.value.message


def test_given_an_unknown_marketplace_with_an_override_then_the_override_is_used():
    assert endpoint_for("XNOTAMARKET", "http://127.0.0.1:9000") == "http://127.0.0.1:9000"


@pytest.mark.parametrize(
    "base, url",
    [
        ("https://mws.amazonservices.com", "https://mws.amazonservices.com/Orders/2013-09-01"),
        ("http://127.0.0.1:8000/sandbox/mws", "http://127.0.0.1:8000/sandbox/mws/Orders/2013-09-01"),
        ("http://127.0.0.1:8000/sandbox/mws/", "http://127.0.0.1:8000/sandbox/mws/Orders/2013-09-01"),
    ],
)
def test_given_an_endpoint_with_or_without_a_path_when_joining_then_the_section_path_is_appended(base, url):
    assert url_for(base, "/Orders/2013-09-01") == url
