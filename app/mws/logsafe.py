"""Keep request URLs out of httpx's own log lines.

httpx logs every request at INFO with its full URL; SubmitFeed carries MWSAuthToken and the
Signature in its query string (contract §3, "known leaks"). This filter, installed on the `httpx`
logger when the MWS client is imported, drops the query from any URL argument of a record. It
changes nothing else about logging.
"""
from __future__ import annotations

import logging

import httpx


class DropQueryFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(
                a.copy_with(query=None) if isinstance(a, httpx.URL) and a.query else a for a in record.args)
        return True


def install(logger_name: str = "httpx") -> None:
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, DropQueryFilter) for f in logger.filters):
        logger.addFilter(DropQueryFilter())
