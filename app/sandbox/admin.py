"""The admin ASGI app (mounted at /sandbox/admin): set faults, read the state. No auth, by design.

    POST /faults  {"operation": "ListOrders", "kind": "503", "count": 2}  → 200 {"faults": [...]}
                  bad input → 422 {"detail": [{"path": "kind", "message": "..."}]}
    DELETE /faults                                                         → 200 {"faults": []}
    GET  /state                                                            → Sandbox.state()
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .faults import FaultError

if TYPE_CHECKING:
    from .core import Sandbox


def _problem(path: str, message: str) -> JSONResponse:
    return JSONResponse({"detail": [{"path": path, "message": message}]}, status_code=422)


def admin_app(sandbox: "Sandbox") -> Starlette:
    async def add_fault(request: Request) -> JSONResponse:
        try:
            data = json.loads(await request.body())
        except ValueError:
            return _problem("body", "the body must be a JSON object")
        if not isinstance(data, dict):
            return _problem("body", "the body must be a JSON object")
        for name in ("operation", "kind"):
            if name not in data:
                return _problem(name, f"{name} is required")
        try:
            sandbox.faults.add(data["operation"], data["kind"], data.get("count", 1))
        except FaultError as err:
            return _problem(err.field, str(err))
        return JSONResponse({"faults": sandbox.faults.pending()})

    async def clear_faults(request: Request) -> JSONResponse:
        sandbox.faults.clear()
        return JSONResponse({"faults": []})

    async def state(request: Request) -> JSONResponse:
        return JSONResponse(sandbox.state())

    return Starlette(routes=[
        Route("/faults", add_fault, methods=["POST"]),
        Route("/faults", clear_faults, methods=["DELETE"]),
        Route("/state", state, methods=["GET"]),
    ])
