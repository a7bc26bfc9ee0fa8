"""Prometheus metrics of the process, served at /metrics.

What an operator of long-running flows needs to see: MWS calls by operation and outcome, the 503s
met, how long pacing held calls back per throttle group, step executions by key and outcome, and
feed status checks.
"""
from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

MWS_CALLS = Counter("mws_calls", "MWS requests by operation and outcome (ok or the error code)",
                    ["operation", "outcome"], registry=REGISTRY)
MWS_THROTTLED = Counter("mws_throttled", "503 answers met (RequestThrottled or QuotaExceeded)",
                        ["operation", "code"], registry=REGISTRY)
PACING_WAIT = Counter("mws_pacing_wait_seconds", "Seconds calls waited for their throttle group's quota",
                      ["throttle_group"], registry=REGISTRY)
STEP_EXECUTIONS = Counter("step_executions", "Step executions by key, mode and outcome",
                          ["step", "mode", "outcome"], registry=REGISTRY)
STEP_DURATION = Histogram("step_duration_seconds", "Step execution time", ["step"], registry=REGISTRY,
                          buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 600))
FEED_STATUS_CHECKS = Counter("feed_status_checks", "GetFeedSubmissionList checks while a feed action waits",
                             ["status"], registry=REGISTRY)


def exposition() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
