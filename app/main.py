"""The ASGI application: `create_app()` wires the step API over a component, and the sandbox when asked.

`app` is what `python -m uvicorn app.main:app` serves: settings from the environment, the project's
component.json, the system clock and the network. It is made when first looked up.
"""
from __future__ import annotations

import json
import sys
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, AsyncIterator

import httpx
from fastapi import FastAPI

from app.api import docs, errors, openapi, playground
from app.api.body_limit import BodyLimitMiddleware
from app.api.middleware import RequestIdMiddleware
from app.api.routes import public, router
from app.backends import AmazonHooks
from app.clock import Clock
from app.logs import configure_logging
from app.runtime.component import Component
from app.runtime.protocol import ComponentHooks
from app.runtime.service import Runtime
from app.settings import Settings, SettingsError


def create_app(
    settings: Settings | None = None,
    *,
    component_path: Path | str | None = None,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    sandbox: Any = None,
    hooks: ComponentHooks | None = None,
) -> FastAPI:
    """The service. `component_path`: a component.json (or its folder) other than the project's;
    `transport`: the outbound HTTP transport (tests); `sandbox`: a Sandbox to mount (else one is
    made when settings.sandbox is set); `hooks`: the component hooks (default: Amazon's backends,
    app.backends — the one place the generic API and runtime meet a backend)."""
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    if sandbox is None and settings.sandbox:
        from app.sandbox import Sandbox  # only a service that mounts the sandbox imports it

        # An injected clock drives the sandbox too, so signed timestamps and its checks agree.
        sandbox = Sandbox(
            clock=clock, wall=clock.time if clock is not None else None,
            seed=settings.sandbox_seed,
            order_every=settings.sandbox_order_every,
            time_scale=settings.sandbox_time_scale,
            xsd_dir=settings.mws_xsd_dir,
        )
    runtime = Runtime(settings, Component(component_path), clock=clock, transport=transport, sandbox=sandbox,
                      hooks=hooks if hooks is not None else AmazonHooks())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.close()

    # FastAPI's own /docs and /openapi.json would sit outside STEP_API_TOKEN: the document is served
    # by a route behind the token instead (app.api.routes, built by app.api.openapi); /docs is ours
    # (app.api.docs), with Swagger UI's assets from a Python package.
    app = FastAPI(
        title="Amazon MWS component", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
        openapi_url=None,
    )
    app.state.runtime = runtime
    errors.install(app)
    openapi.install(app)
    app.include_router(public)
    app.include_router(router)
    docs.install(app)  # /docs: Swagger UI (public page; the document stays behind the token)
    playground.install(app)  # /playground: our own page for trying steps against the sandbox
    if sandbox is not None:
        app.mount("/sandbox/mws", sandbox.mws_app)
        app.mount("/sandbox/admin", sandbox.admin_app)
        app.mount("/sandbox/sp-api", sandbox.spapi_app)
        app.mount("/sandbox/lwa", sandbox.lwa_app)
        app.mount("/sandbox/documents", sandbox.documents_app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)
    return app


def app_from_environment(**overrides: Any) -> FastAPI:
    """The service as configured by the environment; a bad variable ends the process with one JSON
    line naming it (not a traceback), as `python -m uvicorn app.main:app` and `python -m app serve` start it."""
    try:
        return create_app(Settings.from_env(**overrides))
    except SettingsError as exc:
        print(json.dumps({"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                          "level": "CRITICAL", "logger": "app.settings", "message": str(exc)}),
              file=sys.stderr, flush=True)
        raise SystemExit(2) from None


def __getattr__(name: str) -> Any:
    # `app` is made on first use (uvicorn's lookup of app.main:app), so importing this module to
    # call create_app() does not also build a service from the environment.
    if name == "app":
        globals()["app"] = app_from_environment()
        return globals()["app"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
