"""Logging: JSON lines on stderr, each carrying the request id, with the known secret leaks closed.

The service configures logging itself (`configure_logging`, called by `create_app`), so the same
setup applies under `python -m app serve` and `python -m uvicorn app.main:app`: uvicorn configures its
loggers before it imports the app, and this module then takes them over.

Leaks closed here (contract §3):
- httpx and httpcore log full request URLs at INFO (SubmitFeed carries MWSAuthToken in its query):
  their loggers are held at WARNING.
- uvicorn's access log records the query string: `DropQueryString` cuts it off.
- exception text (httpx's includes the URL, a step's may include anything): the formatter writes an
  exception's type and stack frames, never its message.
- signed-query parameters that reach a message anyway are masked by `_SECRET_PARAMS`.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import secrets
import sys
import traceback
from datetime import datetime, timezone
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Loggers that log request URLs (with MWS query strings) at INFO or DEBUG.
QUIET_LOGGERS = ("httpx", "httpcore", "hpack")
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
_SECRET_PARAMS = re.compile(
    r"(?i)\b(MWSAuthToken|Signature|AWSAccessKeyId|secretAccessKey|mwsAuthToken|accessKeyId)=[^&\s\"']*"
)
# The attributes every LogRecord has; anything else came in through `extra=` and is logged as a field.
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_SKIP_EXTRA = frozenset({"request_id", "color_message"})  # uvicorn adds an ANSI-coloured copy
_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def new_request_id() -> str:
    return secrets.token_hex(8)


def accept_request_id(incoming: str | None) -> str:
    """An incoming X-Request-Id is honoured when it is a plain token (no log injection), else replaced."""
    if incoming and _REQUEST_ID_OK.match(incoming):
        return incoming
    return new_request_id()


def mask_secrets(text: str) -> str:
    return _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}=***", text)


class DropQueryString(logging.Filter):
    """uvicorn.access logs (client, method, path?query, http version, status): keep the path only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            if isinstance(args[2], str):
                args[2] = args[2].split("?", 1)[0]
            record.args = tuple(args)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, `extra` fields, and for an
    exception its type and frames (never its text, which may carry URLs or secrets)."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the line
            message = str(record.msg)
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_secrets(message),
            "requestId": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and key not in _SKIP_EXTRA and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _, tb = record.exc_info
            entry["excType"] = f"{exc_type.__module__}.{exc_type.__qualname__}"
            entry["stack"] = [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)]
        return mask_secrets(json.dumps(entry, default=str, ensure_ascii=False))


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):  # noqa: D401
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(level: str = "INFO") -> logging.Handler:
    """Install the JSON handler on the root logger (idempotent) and route uvicorn's loggers to it."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_mws_json", False):
            root.removeHandler(handler)
    handler = _StderrHandler()
    handler._mws_json = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(DropQueryString())
    root.addHandler(handler)
    root.setLevel(level)
    for name in _UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        if not logger.handlers and not logger.propagate:
            continue  # switched off (uvicorn --no-access-log): leave it off
        logger.handlers = []  # uvicorn's own plain-text handlers would print the query string
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, DropQueryString) for f in access.filters):
        access.addFilter(DropQueryString())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
