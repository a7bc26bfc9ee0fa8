"""Error answers of the step API, all JSON and none echoing what the caller sent.

422 bodies are `{"detail": [{"path": ..., "message": ...}]}` (contract §2). FastAPI's own
RequestValidationError answer includes the submitted input, so it is replaced; an unexpected
exception answers a fixed 500 body and is logged by type and stack under the request id.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.runtime.errors import InputInvalid, InputProblem

log = logging.getLogger("app.api")


class ApiError(Exception):
    """An answer other than 200: status and problems."""

    def __init__(self, status: int, path: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.problems = [InputProblem(path, message)]
        self.headers = headers


def problems_response(status: int, problems: list[InputProblem], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"detail": [{"path": p.path, "message": p.message} for p in problems]}, status_code=status, headers=headers
    )


_PYDANTIC_MESSAGES = {
    "missing": "is required",
    "json_invalid": "must be valid JSON",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "string_type": "must be a string",
    "int_parsing": "must be an integer",
    "int_type": "must be an integer",
    "bool_parsing": "must be true or false",
    "literal_error": "is not one of the allowed values",
    "extra_forbidden": "is not allowed",
}


def _loc(loc: Any) -> str:
    parts = [str(p) for p in loc]
    path = ""
    for part in parts:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or "body"


def _allowed_methods(request: Request) -> str:
    """Every method of every route at this path: Starlette's 405 names only the first route's
    (GET and POST /{kind}s/{key}/metadata are two routes)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "\x00"})  # a method no route has: path only
        if match is not Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def install(app: FastAPI) -> None:
    @app.exception_handler(InputInvalid)
    async def _input_invalid(request: Request, exc: InputInvalid) -> JSONResponse:
        return problems_response(422, exc.problems)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problems_response(exc.status, exc.problems, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Built from each error's location and type only: pydantic's entries carry the input.
        problems = [
            InputProblem(_loc(e.get("loc", ())),
                         _PYDANTIC_MESSAGES.get(e.get("type", ""), f"is not valid ({e.get('type', 'invalid')})"))
            for e in exc.errors()
        ]
        return problems_response(422, problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
        detail = [{"path": "", "message": "internal error; the service log has the details"}]
        return JSONResponse({"detail": detail}, status_code=500)
