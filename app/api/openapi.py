"""The OpenAPI description of the step API (contract §2 and §3), served at /openapi.json behind the token.

The routes read their bodies as raw JSON (pydantic models would echo the input in their 422s), so
FastAPI cannot infer request bodies: each route gets its `requestBody` and `responses` from here
(`step_route_docs`, `SELECT_MODEL_DOCS`, ...), passed to the route decorators. `install(app)`
replaces `app.openapi` with a builder that adds what only the running app knows: the component's
step keys (the path parameter's `enum`) and, when STEP_API_TOKEN is set, the bearer scheme.
"""
from __future__ import annotations

import copy
import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.api.streaming import NDJSON

JSON = "application/json"
OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": True}
OBJECT_OR_NULL: dict[str, Any] = {"type": ["object", "null"], "additionalProperties": True,
                                  "description": "null is taken as {}"}

CFG = {
    "type": "object", "additionalProperties": True,
    "description": "The credential fields and the step's own fields merged, as on elastic.io; keys the step "
                   "does not know (such as `_account`) are allowed. Checked against the step's cfg schema.",
    "properties": {
        "sellerId": {"type": "string"}, "mwsAuthToken": {"type": "string"},
        "accessKeyId": {"type": "string"}, "secretAccessKey": {"type": "string"},
        "marketplaceId": {"type": "string"}, "endpointUrl": {"type": "string"},
    },
}
SNAPSHOT = {"type": ["object", "null"], "additionalProperties": True, "default": {},
            "description": "The `snapshot` of the previous result of the same step."}
MODE = {"type": "string", "enum": ["run", "sample"], "default": "run"}
MSG = {
    "type": ["object", "null"], "additionalProperties": True,
    "properties": {"body": {**OBJECT_OR_NULL, "description": "Checked against the action's `in` schema."},
                   "headers": OBJECT_OR_NULL},
}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {JSON: {"schema": schema}}}}


TRIGGER_EXECUTE_BODY = {"type": "object", "additionalProperties": True,
                        "properties": {"cfg": CFG, "snapshot": SNAPSHOT, "mode": MODE}}
ACTION_EXECUTE_BODY = {"type": "object", "additionalProperties": True,
                       "properties": {"msg": MSG, "cfg": CFG, "snapshot": SNAPSHOT, "mode": MODE}}
# Only dynamicMetadata steps and select_model hooks look at cfg here, each in its own way.
LOOSE_CFG = {**OBJECT_OR_NULL, "description": "the step's cfg (credentials and fields), as far as it is known"}
METADATA_BODY = {"type": "object", "additionalProperties": True, "properties": {"cfg": LOOSE_CFG}}
SELECT_MODEL_BODY = {
    "type": "object", "additionalProperties": True, "required": ["field"],
    "properties": {"step": {"type": "string", "minLength": 1,
                            "description": "A step key (not needed for marketplaceId)."},
                   "field": {"type": "string", "minLength": 1}, "cfg": LOOSE_CFG},
}
VERIFY_BODY = {"type": "object", "additionalProperties": True, "required": ["cfg"], "properties": {"cfg": CFG}}

# -- answers ---------------------------------------------------------------------------------------
PROBLEMS = {
    "type": "object", "required": ["detail"],
    "properties": {"detail": {"type": "array", "items": {
        "type": "object", "required": ["path", "message"],
        "properties": {"path": {"type": "string"}, "message": {"type": "string"}}}}},
}
ERROR = {
    "type": "object", "required": ["code", "message", "requestId", "retriable"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                   "type": {"type": ["string", "null"]}, "requestId": {"type": ["string", "null"]},
                   "retriable": {"type": "boolean"}},
}
EVENT = {
    "type": "object", "required": ["type"],
    "properties": {
        "type": {"type": "string", "enum": ["data", "snapshot", "rebound", "error"]},
        "body": OBJECT, "reason": {"type": "string"}, "retryAfterMs": {"type": ["integer", "null"]},
        "error": ERROR,
    },
}
OUTCOME = {"type": "string", "enum": ["ok", "error", "rebound"]}
RESULT = {
    "type": "object", "required": ["outcome", "events", "snapshot"],
    "properties": {"outcome": OUTCOME, "events": {"type": "array", "items": EVENT}, "snapshot": OBJECT},
}
METADATA = {"type": "object", "required": ["in", "out"],
            "properties": {"in": {"type": "object", "description": "JSON Schema, every $ref resolved"},
                           "out": {"type": "object", "description": "JSON Schema, every $ref resolved"}}}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


Responses = dict[int | str, dict[str, Any]]

UNAUTHORIZED: Responses = {401: _json("STEP_API_TOKEN is set and the bearer token is missing or wrong", PROBLEMS)}
NOT_FOUND: Responses = {404: _json("no step (or field) with this key in component.json", PROBLEMS)}
INVALID: Responses = {422: _json("the body is not a JSON object, or fails the step's schemas or checks; "
                      "messages never echo the submitted values", PROBLEMS)}

EXECUTE_RESPONSES: Responses = {
    200: {
        "description": "The step ran (whatever it met: see `outcome`). With `Accept: application/x-ndjson` the "
                       "events stream one JSON object a line, the last line `{\"type\":\"end\",\"outcome\",\"snapshot\"}`.",
        "content": {JSON: {"schema": RESULT},
                    NDJSON: {"schema": {"type": "string", "description": "newline-delimited JSON events"}}},
    },
    **UNAUTHORIZED, **NOT_FOUND, **INVALID,
}
METADATA_RESPONSES: Responses = {200: _json("the step's `in` and `out` schemas", METADATA), **UNAUTHORIZED, **NOT_FOUND}
METADATA_POST_RESPONSES: Responses = {
    **METADATA_RESPONSES, **INVALID,
    502: _json("a dynamic-metadata step could not reach Amazon to build its schema", PROBLEMS),
}
SELECT_MODEL_RESPONSES: Responses = {
    200: _json("value → label", {"type": "object", "required": ["model"], "properties": {
        "model": {"type": "object", "additionalProperties": {"type": "string"}}}}),
    **UNAUTHORIZED, **NOT_FOUND, **INVALID,
    502: _json("the step needed Amazon to list the choices and Amazon refused", PROBLEMS),
}
VERIFY_RESPONSES: Responses = {
    200: _json("one attempt at Sellers ListMarketplaceParticipations", {
        "type": "object", "required": ["verified"],
        "properties": {"verified": {"type": "boolean"}, "reason": {"type": "string"}}}),
    **UNAUTHORIZED, **INVALID,
}
COMPONENT_RESPONSES: Responses = {200: _json("the parsed component.json", OBJECT), **UNAUTHORIZED}
METRICS_RESPONSES: Responses = {200: {"description": "Prometheus exposition",
                           "content": {"text/plain": {"schema": {"type": "string"}}}}, **UNAUTHORIZED}
HEALTHZ_RESPONSES: Responses = {200: _json("always, without a token", {
    "type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}})}


def step_route_docs(kind: str, route: str) -> dict[str, Any]:
    """Keyword arguments for `add_api_route` of /{kind}s/{key}/{route} (route: metadata-get, metadata-post, execute)."""
    what = "trigger" if kind == "trigger" else "action"
    if route == "metadata-get":
        return {"summary": f"The {what}'s in/out JSON Schemas", "responses": METADATA_RESPONSES}
    if route == "metadata-post":
        return {"summary": f"The {what}'s in/out JSON Schemas for a cfg (dynamicMetadata)",
                "responses": METADATA_POST_RESPONSES, "openapi_extra": _body(METADATA_BODY)}
    body = TRIGGER_EXECUTE_BODY if kind == "trigger" else ACTION_EXECUTE_BODY
    return {"summary": f"Run the {what} once", "responses": EXECUTE_RESPONSES, "openapi_extra": _body(body)}


SELECT_MODEL_DOCS: dict[str, Any] = {"summary": "Choices of a field", "responses": SELECT_MODEL_RESPONSES,
                     "openapi_extra": _body(SELECT_MODEL_BODY)}
VERIFY_DOCS: dict[str, Any] = {"summary": "Check credentials with one call to Amazon", "responses": VERIFY_RESPONSES,
               "openapi_extra": _body(VERIFY_BODY)}


def build(app: FastAPI) -> dict[str, Any]:
    """The document, with the running component's step keys and the token scheme when one is set."""
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                         description="The step-execution API of the Amazon MWS component (contract §2, §3).")
    runtime = getattr(app.state, "runtime", None)
    if runtime is None:
        return schema
    keys = {kind: sorted(runtime.component.descriptor.get(f"{kind}s") or {}) for kind in ("trigger", "action")}
    secured = bool(runtime.settings.step_api_token)
    credentials = _credentials_schema(runtime)
    if secured:
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http", "scheme": "bearer", "description": "STEP_API_TOKEN"}
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                kind = path.split("/")[1][:-1]
                if param.get("name") == "key" and kind in keys:
                    param["schema"] = {"type": "string", "enum": keys[kind]}
                    article = "an" if kind == "action" else "a"
                    param["description"] = f"{article} {kind} key of component.json (any other answers 404)"
            body = operation.get("requestBody", {}).get("content", {}).get(JSON, {}).get("schema", {})
            if credentials and "cfg" in body.get("properties", {}) and body["properties"]["cfg"].get("properties"):
                # The credential part of every cfg, as the component declares it; step fields come on top.
                body["properties"]["cfg"] = credentials
            if secured and path != "/healthz":
                operation["security"] = [{"bearer": []}]
            if not secured:
                operation.get("responses", {}).pop("401", None)
    return schema


def _credentials_schema(runtime: Any) -> dict[str, Any] | None:
    try:
        schema = copy.deepcopy(runtime.component.credentials_schema)
    except Exception:  # a component without schemas/credentials.json keeps the generic description
        return None
    if not isinstance(schema, dict) or "$ref" in json.dumps(schema):
        return None
    schema.pop("$schema", None)
    return schema


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return copy.deepcopy(app.openapi_schema)

    app.openapi = openapi  # type: ignore[method-assign]
