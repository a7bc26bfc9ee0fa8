"""`python -m app serve [--host] [--port] [--sandbox]`."""
from __future__ import annotations

import pytest

from app.__main__ import parser


def test_given_serve_without_options_when_parsed_then_localhost_8000_without_sandbox():
    args = parser().parse_args(["serve"])
    assert (args.host, args.port, args.sandbox) == ("127.0.0.1", 8000, False)


def test_given_serve_with_options_when_parsed_then_they_are_taken():
    args = parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "9001", "--sandbox"])
    assert (args.host, args.port, args.sandbox) == ("0.0.0.0", 9001, True)


def test_given_no_command_when_parsed_then_usage_error():
    with pytest.raises(SystemExit):
        parser().parse_args([])
