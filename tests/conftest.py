"""Test-wide defaults: Amazon's XSDs from ../shared (never copied here), and a virtual clock."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.clock import VirtualClock

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
SAMPLES = SHARED / "amazon-reference" / "samples"

if (SHARED / "amazon-reference" / "xsd" / "amzn-envelope.xsd").is_file():
    os.environ.setdefault("MWS_XSD_DIR", str(SHARED / "amazon-reference" / "xsd"))


def require_shared(path: Path) -> Path:
    """Reference data from ../shared: under CI=true its absence fails the test instead of skipping it."""
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing; CI must run with ../shared beside the project")
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()
