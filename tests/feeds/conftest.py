"""Fixtures of the feed tests: Amazon's envelope XSD, compiled once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from app.feeds.xsd import envelope_schema
from app.settings import Settings
from tests.conftest import SHARED, require_shared


@pytest.fixture(scope="session")
def xsd_dir() -> Path:
    folder = Settings.from_env().mws_xsd_dir or SHARED / "amazon-reference" / "xsd"
    return require_shared(folder / "amzn-envelope.xsd").parent


@pytest.fixture(scope="session")
def envelope_xsd(xsd_dir: Path) -> etree.XMLSchema:
    return envelope_schema(xsd_dir)  # the process-wide cache: compiled once for the whole session


@pytest.fixture(scope="session")
def assert_valid(envelope_xsd: etree.XMLSchema):
    def check(body: bytes) -> etree._Element:
        root = etree.fromstring(body)
        if not envelope_xsd.validate(root):
            pytest.fail("envelope does not validate:\n" + "\n".join(str(e) for e in envelope_xsd.error_log))
        return root

    return check
