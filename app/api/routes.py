"""The generic routes of the step contract (§2): one set of routes for every declared step.

Bodies are read as raw JSON and checked by the runtime (never by pydantic models, whose 422s echo
the input), so a malformed body, a bad cfg and a bad msg.body all answer the same 422 shape. The
checks are CPU work and run in a worker thread: one caller's huge body never holds up the others.
Nothing here knows a backend: steps are reached through the step protocol and the credentials
through the runtime's component hooks (app.runtime.protocol).
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from app import metrics
from app.api import openapi as docs
from app.api.auth import require_token
from app.api.body import parse_json_body
from app.api.errors import ApiError
from app.api.streaming import NDJSON, NDJSONResponse
from app.runtime.component import Step, StepNotFound, project_metadata
from app.runtime.errors import InputInvalid, InputProblem, StepError
from app.runtime.executor import prepare
from app.runtime.protocol import maybe_await
from app.runtime.service import Runtime
from app.runtime.validation import problems_for

log = logging.getLogger("app.api")
public = APIRouter()
router = APIRouter(dependencies=[Depends(require_token)])


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime


async def _json_body(request: Request) -> dict[str, Any]:
    """The body as a JSON object; depth, NaN, lone surrogates, control characters: 422 at the path."""
    raw = await request.body()
    # A large body is parsed off the event loop, as prepare() runs: other requests are answered meanwhile.
    return await run_in_threadpool(parse_json_body, raw) if len(raw) > 65_536 else parse_json_body(raw)


def _object(body: dict[str, Any], key: str) -> dict[str, Any]:
    value = body.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputInvalid([InputProblem(key, "must be an object")])
    return value


def _step(request: Request, kind: str, key: str) -> Step:
    try:
        return _runtime(request).component.step(kind, key)
    except StepNotFound:
        raise ApiError(404, "key", f"no {kind} with this key in component.json") from None


async def _call_hook(name: str, call: Awaitable[Any]) -> Any:
    """A step's or the component's hook (select model, metadata); its failures answered safely."""
    try:
        return await call
    except InputInvalid:
        raise
    except StepError as exc:
        raise ApiError(502, "cfg", exc.message) from None
    except Exception:
        log.error("hook %s failed", name, exc_info=True)
        raise ApiError(500, "", "internal error; the service log has the details") from None


@public.get("/healthz", responses=docs.HEALTHZ_RESPONSES)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/metrics", responses=docs.METRICS_RESPONSES)
async def metrics_exposition() -> Response:
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type)


@router.get("/openapi.json", include_in_schema=False)
async def openapi_document(request: Request) -> JSONResponse:
    """The OpenAPI document (app.api.openapi), behind STEP_API_TOKEN like every route but /healthz."""
    return JSONResponse(request.app.openapi())


@router.get("/component", responses=docs.COMPONENT_RESPONSES)
async def component(request: Request) -> dict[str, Any]:
    return _runtime(request).component.descriptor


async def _metadata(request: Request, kind: str, key: str, post: bool) -> dict[str, Any]:
    """The builder projection of the step's schemas (app.runtime.projection): for a dynamic step
    what its get_meta_model answers for the cfg (GET: for an empty cfg), else the static files, the
    cfg's variant where it has its own."""
    step = _step(request, kind, key)
    runtime = _runtime(request)
    cfg = _object(await _json_body(request), "cfg") if post else {}
    full_view = request.query_params.get("view") == "full"  # the schemas validation uses, unprojected
    if step.dynamic and step.hooks.has_meta_model and (post or not full_view):  # GET full: the static files
        meta = await _call_hook("get_meta_model", step.hooks.get_meta_model(cfg, runtime.settings))
        full = {"in": step.inline(meta.get("in", {"type": "object"})),
                "out": step.inline(meta.get("out", {"type": "object"}))}
        return full if full_view else project_metadata(kind, full)
    variant = runtime.hooks.variant(cfg)
    if full_view:
        return step.full_metadata_for(variant)
    return step.metadata_for(variant) if post else step.metadata


async def _execute(request: Request, kind: str, key: str) -> Response:
    step = _step(request, kind, key)
    body = await _json_body(request)
    runtime = _runtime(request)
    # 422 before anything runs or any stream opens; off the event loop (see the module docstring).
    inv = await run_in_threadpool(prepare, step, body, runtime.settings, runtime.hooks,
                                  sandbox_mounted=runtime.sandbox_mounted)
    executor = await runtime.executor()
    if NDJSON in (request.headers.get("accept") or ""):
        return NDJSONResponse(executor.stream(inv))
    return Response(await executor.run(inv), media_type="application/json")


def _add_step_routes(kind: str) -> None:
    async def get_metadata(request: Request, key: str) -> dict[str, Any]:
        return await _metadata(request, kind, key, post=False)

    async def post_metadata(request: Request, key: str) -> dict[str, Any]:
        return await _metadata(request, kind, key, post=True)

    async def execute(request: Request, key: str) -> Response:
        return await _execute(request, kind, key)

    router.add_api_route(f"/{kind}s/{{key}}/metadata", get_metadata, methods=["GET"], name=f"{kind}_metadata",
                         **docs.step_route_docs(kind, "metadata-get"))
    router.add_api_route(f"/{kind}s/{{key}}/metadata", post_metadata, methods=["POST"],
                         name=f"{kind}_dynamic_metadata", **docs.step_route_docs(kind, "metadata-post"))
    router.add_api_route(f"/{kind}s/{{key}}/execute", execute, methods=["POST"], name=f"{kind}_execute",
                         **docs.step_route_docs(kind, "execute"))


_add_step_routes("trigger")
_add_step_routes("action")


@router.post("/select-model", **docs.SELECT_MODEL_DOCS)
async def select_model(request: Request) -> dict[str, Any]:
    body = await _json_body(request)
    cfg = _object(body, "cfg")
    field, key = body.get("field"), body.get("step")
    if not isinstance(field, str) or not field:
        raise InputInvalid([InputProblem("field", _missing_or_not_string(field))])
    runtime = _runtime(request)
    # A credential field by its name, or by its model's name (elastic.io's string models: "marketplaces").
    credential = field in runtime.component.credential_fields or (
        key is None and isinstance(runtime.hooks.select_model(field, cfg), dict))
    step = None
    if key is not None or not credential:  # a credential field's choices need no step
        if not isinstance(key, str) or not key:
            raise InputInvalid([InputProblem("step", _missing_or_not_string(key))])
        try:
            step = runtime.component.find(key)
        except StepNotFound:
            raise ApiError(404, "step", "no step with this key in component.json") from None
    if step is None or field not in step.fields:
        result = None
        if credential:
            result = await _call_hook("select_model", maybe_await(runtime.hooks.select_model(field, cfg)))
        elif step is not None:  # a model's name rather than its field's
            result = await _call_hook("select_model", step.hooks.select_model(field, cfg, field))
        if not isinstance(result, dict):
            raise ApiError(404, "field", "this step has no field with choices by that name")
        return {"model": result}
    model = step.fields[field].get("model") if isinstance(step.fields[field], dict) else None
    if model is None:
        raise ApiError(404, "field", "this step has no field with choices by that name")
    if isinstance(model, dict):
        return {"model": model}
    result = await _call_hook("select_model", step.hooks.select_model(field, cfg, model))
    if not isinstance(result, dict):
        raise ApiError(404, "field", "this step offers no choices for that field")
    return {"model": result}


def _missing_or_not_string(value: Any) -> str:
    return "is required" if value is None else ("must not be empty" if value == "" else "must be a string")


@router.post("/verify-credentials", **docs.VERIFY_DOCS)
async def verify_credentials(request: Request) -> JSONResponse:
    runtime = _runtime(request)
    cfg = _object(await _json_body(request), "cfg")
    component = runtime.component
    problems = problems_for(component.schemas.validator(component.credentials_schema), cfg, "cfg")
    # By backend; nothing is ever sent to an endpoint the component does not admit.
    known = {p.path for p in problems}
    problems += [p for p in runtime.hooks.check_cfg(cfg, runtime.settings, sandbox_mounted=runtime.sandbox_mounted)
                 if p.path not in known]
    if problems:
        raise InputInvalid(problems)
    services = await runtime.services()
    try:
        verified, reason = await runtime.hooks.verify_credentials(cfg, services)
    except StepError as exc:
        verified, reason = False, exc.message
    except Exception:
        log.error("verify-credentials failed", exc_info=True)
        verified, reason = False, "the credentials could not be checked (internal error)"
    answer: dict[str, Any] = {"verified": bool(verified)}
    if not verified:
        answer["reason"] = reason or "the credentials were refused"
    return JSONResponse(answer)
