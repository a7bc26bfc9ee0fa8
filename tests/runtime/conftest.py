"""The fixture component (tests/runtime/fixtures): fake steps, so runtime tests need no real MWS step."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.runtime.component import Component

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "component.json"


@pytest.fixture
def component() -> Component:
    return Component(FIXTURE)
