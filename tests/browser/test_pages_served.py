"""/playground and /docs as served (no browser needed): public pages holding no secret, our own scripts
only on the playground, Swagger UI's assets from the service itself, the document still behind the token."""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.settings import Settings

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"
TOKEN = "pages-token"


@pytest.fixture
async def guarded():
    app = create_app(Settings(step_api_token=TOKEN))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        yield client


@pytest.mark.parametrize("path,kind", [
    ("/playground", "text/html"), ("/playground/assets/playground.js", "javascript"),
    ("/playground/assets/forms.js", "javascript"), ("/playground/assets/playground.css", "text/css"),
    ("/docs", "text/html"), ("/docs/assets/docs.js", "javascript"),
    ("/docs/swagger-ui/swagger-ui-bundle.js", "javascript"), ("/docs/swagger-ui/swagger-ui.css", "text/css"),
])
async def test_given_a_token_is_set_when_a_page_or_asset_is_fetched_without_it_then_it_is_served(guarded, path, kind):
    response = await guarded.get(path)
    assert response.status_code == 200 and kind in response.headers["content-type"]
    assert TOKEN not in response.text


async def test_given_a_token_is_set_when_the_document_is_fetched_without_it_then_401(guarded):
    assert (await guarded.get("/openapi.json")).status_code == 401
    assert (await guarded.get("/openapi.json", headers={"Authorization": f"Bearer {TOKEN}"})).status_code == 200


def test_given_the_pages_when_read_then_they_load_scripts_and_styles_from_the_service_only():
    for page in (STATIC / "playground" / "index.html", STATIC / "docs" / "index.html"):
        html = page.read_text()
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert sources and all(not re.match(r"^(https?:)?//", s) for s in sources), (page, sources)
    playground_scripts = re.findall(r'<script[^>]+src="([^"]+)"', (STATIC / "playground" / "index.html").read_text())
    assert playground_scripts == ["playground/assets/forms.js", "playground/assets/playground.js"]
    assert sorted(p.name for p in (STATIC / "playground").iterdir()) == [
        "forms.js", "index.html", "playground.css", "playground.js"]  # ours, nothing vendored


def test_given_the_playground_when_read_then_it_says_it_is_meant_for_the_sandbox():
    html = (STATIC / "playground" / "index.html").read_text()
    assert "Meant for the built-in sandbox" in html
