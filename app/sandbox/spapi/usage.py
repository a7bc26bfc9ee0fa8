"""SP-API usage plans: a token bucket per (seller, application, operationId), on the sandbox clock.

The plans are data (app/model/spapi/usage_plans.json, `{operationId: {"max": burst,
"restorePerSecond": rate}}`), read by the SP-API client too; the defaults are the models' "Usage
Plan" tables. A bucket starts full at `max`, a call takes one token, tokens come back at `rate`;
an empty bucket answers 429 QuotaExceeded. `time_scale` (SANDBOX_TIME_SCALE) speeds the restore up,
as the MWS throttle does, and the `x-amzn-RateLimit-Limit` header reports the rate a client really
gets (requests per second, scaled), so a client pacing by it meets no 429.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from .errors import quota_exceeded

PLANS_FILE = Path(__file__).resolve().parents[2] / "model" / "spapi" / "usage_plans.json"


def load_usage_plans(path: Path = PLANS_FILE) -> dict[str, dict[str, float]]:
    """The usage plans file, checked to be plain `{operationId: {"max", "restorePerSecond"}}` numbers."""
    data = json.loads(path.read_text(encoding="utf-8"))
    plans: dict[str, dict[str, float]] = {}
    for operation, plan in data.items():
        if not isinstance(plan, dict) or not {"max", "restorePerSecond"} <= set(plan):
            raise ValueError(f"{path}: {operation} needs max and restorePerSecond")
        plans[operation] = {"max": float(plan["max"]), "restorePerSecond": float(plan["restorePerSecond"])}
    return plans


def rate_header(rate: float) -> str:
    """0.0056 → "0.0056", 2 → "2.0": a float string, as Amazon sends it."""
    text = f"{rate:.6g}"
    return text if any(c in text for c in ".e") else text + ".0"


class UsagePlans:
    def __init__(self, overrides: Mapping[str, Mapping[str, Any]] | None = None, time_scale: float = 1.0) -> None:
        self.plans = load_usage_plans()
        # MWS_QUOTAS-style overrides: keys that are SP-API operationIds apply here (MWS groups differ in case).
        for operation, quota in (overrides or {}).items():
            if operation in self.plans:
                self.plans[operation].update({k: float(v) for k, v in quota.items() if k in ("max", "restorePerSecond")})
        self.time_scale = float(time_scale)
        self.buckets: dict[tuple[str, str, str], list[float]] = {}   # key -> [level, updated]

    def limit_header(self, operation: str) -> dict[str, str]:
        plan = self.plans.get(operation)
        return {} if plan is None else {"x-amzn-RateLimit-Limit": rate_header(plan["restorePerSecond"] * self.time_scale)}

    def _level(self, key: tuple[str, str, str], now: float) -> list[float]:
        plan = self.plans[key[2]]
        bucket = self.buckets.setdefault(key, [plan["max"], now])
        if now > bucket[1]:
            rate = plan["restorePerSecond"] * self.time_scale
            bucket[0] = min(plan["max"], bucket[0] + (now - bucket[1]) * rate)
            bucket[1] = now
        return bucket

    def take(self, seller_id: str, client_id: str, operation: str, now: float) -> None:
        """Spend one call of `operation` or raise 429 QuotaExceeded."""
        if operation not in self.plans:
            return
        bucket = self._level((seller_id, client_id, operation), now)
        if bucket[0] < 1 - 1e-9:     # float restore steps must not turn a whole call into 0.999...
            raise quota_exceeded()
        bucket[0] -= 1

    def levels(self, now: float) -> list[dict[str, Any]]:
        return [{"sellerId": s, "clientId": c, "operation": op, "level": round(self._level((s, c, op), now)[0], 3),
                 "max": self.plans[op]["max"]} for (s, c, op) in sorted(self.buckets)]
