"""GET /playground: a page to try every step by hand, mounted always and meant for the sandbox.

Plain HTML, CSS and JavaScript of ours (app/static/playground), no third-party script. The page draws
each step's form from what the service serves (GET /component for the steps and their fields, the
step's `in` metadata for the message), runs it with `Accept: application/x-ndjson` and shows each
event as its line arrives, carrying the returned snapshot into the next run.

The page and its assets are public, like /healthz: they hold no secret and no data. Everything the
page does goes through the step routes, which keep requiring STEP_API_TOKEN when it is set; the page
then asks for the token and sends it as `Authorization: Bearer ...`.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent.parent / "static" / "playground"


def install(app: FastAPI) -> None:
    app.mount("/playground/assets", StaticFiles(directory=STATIC), name="playground-assets")

    @app.get("/playground", include_in_schema=False)
    async def playground() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})
