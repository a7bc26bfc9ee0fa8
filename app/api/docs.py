"""/docs: Swagger UI for the step API, served from a Python dependency (fastapi-offline vendors
swagger-ui-dist), never from a CDN.

The page itself is public, like /healthz: it holds no secret and no part of the API description. The
document stays behind STEP_API_TOKEN at /openapi.json; when the service answers 401 there, the page
asks for the token and sends it as `Authorization: Bearer ...` with every request Swagger UI makes
(kept in the tab's sessionStorage only, shared with /playground).
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent.parent / "static" / "docs"
SWAGGER_UI = Path(str(files("fastapi_offline") / "static"))


def install(app: FastAPI) -> None:
    app.mount("/docs/swagger-ui", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    app.mount("/docs/assets", StaticFiles(directory=STATIC), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})
