from datetime import datetime, timezone

import pytest

from app.dates import DateFormatError, normalize, parse_date, to_amazon


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1970-01-01T00:00:00.000 +0000", "1970-01-01T00:00:00Z"),
        ("2026-11-20T10:18:00Z", "2026-11-20T10:18:00Z"),
        ("2026-11-20T12:18:00+02:00", "2026-11-20T10:18:00Z"),
        ("2026-11-20T12:18:00.250 +0200", "2026-11-20T10:18:00.250Z"),
        ("2026-11-20T10:18:00", "2026-11-20T10:18:00Z"),
        ("2026-11-20", "2026-11-20T00:00:00Z"),
        ("2026-11-20T05:18:00-0500", "2026-11-20T10:18:00Z"),
    ],
)
def test_given_a_user_date_in_either_format_when_normalized_then_amazon_gets_utc_z(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "20-11-2026", "2026-13-01T00:00:00Z", "2026-11-20 PDT"])
def test_given_text_that_is_no_date_when_parsed_then_a_clear_error_is_raised(text):
    with pytest.raises(DateFormatError):
        parse_date(text)


def test_given_a_moment_with_microseconds_when_formatted_then_milliseconds_are_kept():
    assert to_amazon(datetime(2020, 5, 28, 11, 20, 25, 747999, tzinfo=timezone.utc)) == "2020-05-28T11:20:25.747Z"
