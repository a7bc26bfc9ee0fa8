"""Prometheus metrics of the process, served at /metrics.

What an operator of long-running flows needs to see: MWS calls by operation and outcome, the 503s
met, how long pacing held calls back per throttle group, step executions by key and outcome, and
feed status checks.

Label values come from closed sets (`Closed`): operation names and throttle groups from the MWS
model, error codes from its error table and the client's own codes, feed statuses from Amazon's
documented list; anything else is counted as `other`. An endpoint inventing a new error code per
answer adds no series.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Optional

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)
OTHER = "other"
FEED_STATUSES = frozenset({"_AWAITING_ASYNCHRONOUS_REPLY_", "_CANCELLED_", "_DONE_", "_IN_PROGRESS_",
                           "_IN_SAFETY_NET_", "_SUBMITTED_", "_UNCONFIRMED_", "unknown",
                           "IN_QUEUE", "IN_PROGRESS", "DONE", "CANCELLED", "FATAL"})  # SP-API's
# SP-API's documented error codes (the models' ErrorList examples) and the client's own.
SPAPI_OUTCOMES = frozenset({"ok", "QuotaExceeded", "Unauthorized", "InvalidInput", "InvalidParameterValue",
                            "NotFound", "InternalFailure", "ServiceUnavailable", "BAD_REQUEST",
                            "invalid_grant", "invalid_client", "invalid_request", "unauthorized_client",
                            "TransportError", "Timeout", "MalformedResponse", "UnexpectedResponse",
                            "EndpointNotAllowed", "InternalError"})


@lru_cache(maxsize=1)
def mws_operations() -> frozenset[str]:
    from app.mws.operations import operations

    return frozenset(op.name for op in operations())


@lru_cache(maxsize=1)
def mws_groups() -> frozenset[str]:
    from app.mws.operations import throttle_groups

    return frozenset(throttle_groups())


@lru_cache(maxsize=1)
def mws_outcomes() -> frozenset[str]:
    from app.mws.errors import OUR_CODES
    from app.mws.operations import error_model

    return frozenset(error_model()["codes"]) | OUR_CODES | {"ok", "503"}


@lru_cache(maxsize=1)
def spapi_operations() -> frozenset[str]:
    from app.model import load

    return frozenset(load("spapi", "operations")["operations"])


class Closed:
    """A labelled metric whose label values are kept to closed sets (None: that label is free)."""

    def __init__(self, metric: Any, *allowed: Optional[Callable[[], frozenset[str]]]) -> None:
        self.metric, self.allowed = metric, allowed

    def labels(self, *values: str) -> Any:
        return self.metric.labels(*(v if known is None or v in known() else OTHER
                                    for v, known in zip(values, self.allowed)))


MWS_CALLS = Closed(Counter("mws_calls", "MWS requests by operation and outcome (ok or the error code)",
                           ["operation", "outcome"], registry=REGISTRY), mws_operations, mws_outcomes)
MWS_THROTTLED = Closed(Counter("mws_throttled", "503 answers met (RequestThrottled or QuotaExceeded)",
                               ["operation", "code"], registry=REGISTRY), mws_operations, mws_outcomes)
PACING_WAIT = Closed(Counter("mws_pacing_wait_seconds", "Seconds calls waited for their throttle group's quota",
                             ["throttle_group"], registry=REGISTRY), mws_groups)
SPAPI_CALLS = Closed(Counter("spapi_calls", "SP-API requests by operationId and outcome (ok or the error code)",
                             ["operation", "outcome"], registry=REGISTRY), spapi_operations, lambda: SPAPI_OUTCOMES)
SPAPI_PACING_WAIT = Closed(Counter("spapi_pacing_wait_seconds", "Seconds SP-API calls waited for their usage plan",
                                   ["operation"], registry=REGISTRY), spapi_operations)
LWA_TOKEN_REQUESTS = Counter("lwa_token_requests", "Login with Amazon token requests sent", registry=REGISTRY)
STEP_EXECUTIONS = Counter("step_executions", "Step executions by key, mode and outcome",
                          ["step", "mode", "outcome"], registry=REGISTRY)
STEP_DURATION = Histogram("step_duration_seconds", "Step execution time", ["step"], registry=REGISTRY,
                          buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 600))
FEED_STATUS_CHECKS = Closed(Counter("feed_status_checks", "GetFeedSubmissionList checks while a feed action waits",
                                    ["status"], registry=REGISTRY), lambda: FEED_STATUSES)


def exposition() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
