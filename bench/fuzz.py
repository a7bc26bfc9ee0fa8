"""Fuzz the step API from its own OpenAPI document: ≥ 1,000 generated requests over every route.

    python bench/fuzz.py [--requests 1200] [--seed 1] [--out bench/results/fuzz.json]

The app is the real one (the project's component.json, STEP_API_TOKEN set) over an in-process
sandbox on a virtual clock, so nothing touches the network and waits cost nothing. Requests come from
schemathesis strategies built from GET /openapi.json, positive and negative (schema-violating)
alike; every other execute/verify body gets the sandbox's demo credentials merged into its cfg, so
generated fields and messages reach the steps and the sandbox rather than stopping at the
credentials check. Written: counts by status and by route, and every 5xx and every 4xx whose body is
not JSON (the exit status is 1 when there is any).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings, strategies as st  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from app.clock import VirtualClock  # noqa: E402
from app.main import create_app  # noqa: E402
from app.sandbox import DEMO, Sandbox  # noqa: E402
from app.settings import Settings  # noqa: E402

TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def build_app():
    clock = VirtualClock()
    sandbox = Sandbox(clock=clock, seed=1, order_every=10**9)
    offline = httpx.MockTransport(lambda request: httpx.Response(599, text="the bench never touches the network"))
    settings_ = Settings(step_api_token=TOKEN, step_timeout_ms=60_000, throttle_retry_delay_ms=1_000,
                         log_level="CRITICAL")
    return create_app(settings_, clock=clock, sandbox=sandbox, transport=offline)


ORDER = "902-3159896-1390916"
# A valid msg.body per action: every fourth generated execute keeps its generated extras but gets one.
VALID_BODIES: dict[str, dict[str, Any]] = {
    "getOrder": {"amazonOrderIds": [ORDER]},
    "listOrderItems": {"amazonOrderId": ORDER},
    "updateOrder": {"messages": [{"amazonOrderID": ORDER, "statusCode": "Success"}]},
    "updateItem": {"messages": [{"SKU": "FUZZ-1", "Quantity": 1}]},
    "submitInventory": {"SKU": "FUZZ-1", "Quantity": 1},
    "changeProductPrice": {"SKU": "FUZZ-1", "StandardPrice": {"value": "9.99", "currency": "USD"}},
    "changeProductImage": {"SKU": "FUZZ-1", "ImageType": "Main", "ImageLocation": "https://example.com/a.jpg"},
    "establishProductRelationships": {"ParentSKU": "FUZZ-P", "Relation": [{"SKU": "FUZZ-1", "Type": "Variation"}]},
    "getFeedSubmissionStatus": {"feedSubmissionId": "50000018000"},
    "getFeedSubmissionResult": {"feedSubmissionId": "50000018000"},
}


def _with_demo_credentials(case: Any, valid_body: bool) -> None:
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("cfg"), dict):
        body["cfg"] = {**body["cfg"], **DEMO}
        body["cfg"].pop("endpointUrl", None)  # the default endpoint is the in-process sandbox
        key = (case.path_parameters or {}).get("key")
        if valid_body and case.path.startswith("/actions/") and key in VALID_BODIES:
            msg = body["msg"] if isinstance(body.get("msg"), dict) else {}
            extra = msg.get("body") if isinstance(msg.get("body"), dict) else {}
            body["msg"] = {**msg, "body": {**extra, **VALID_BODIES[key]}}


class Tally:
    def __init__(self) -> None:
        self.total = 0
        self.by_status: Counter[int] = Counter()
        self.by_route: dict[str, Counter[int]] = defaultdict(Counter)
        self.server_errors: list[dict[str, Any]] = []
        self.non_json_4xx: list[dict[str, Any]] = []

    def record(self, route: str, case: Any, response: Any) -> None:
        self.total += 1
        status = response.status_code
        self.by_status[status] += 1
        self.by_route[route][status] += 1
        sample = {"route": route, "path": case.formatted_path, "status": status, "body": response.text[:300],
                  "request": _safe(case.body)}
        if status >= 500 and len(self.server_errors) < 50:
            self.server_errors.append(sample)
        if 400 <= status < 500:
            try:
                ok = (response.headers.get("content-type") or [""])[0].startswith("application/json")
                response.json()
            except ValueError:
                ok = False
            if not ok and len(self.non_json_4xx) < 50:
                self.non_json_4xx.append(sample)


def _safe(body: Any) -> str:
    try:
        return json.dumps(body, default=str)[:300]
    except Exception:
        return repr(body)[:300]


def run(requests: int, seed: int) -> dict[str, Any]:
    app = build_app()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=AUTH)
    operations = [result.ok() for result in schema.get_all_operations()]
    tally = Tally()
    started = time.perf_counter()
    round_ = 0
    while tally.total < requests and round_ < 50:
        per_op = max(10, (requests - tally.total) // len(operations) + 1)
        for op in operations:
            route = f"{op.method.upper()} {op.path}"
            strategy = st.one_of(op.as_strategy(GenerationMode.POSITIVE), op.as_strategy(GenerationMode.NEGATIVE))
            counter = {"n": 0}

            @hypothesis_seed(seed * 1000 + round_)
            @settings(max_examples=per_op, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def send(case: Any) -> None:
                counter["n"] += 1
                if counter["n"] % 2 == 0:
                    _with_demo_credentials(case, valid_body=counter["n"] % 4 == 0)
                tally.record(route, case, case.call(headers=AUTH))

            send()
        round_ += 1
    elapsed = time.perf_counter() - started
    return {
        "requests": tally.total,
        "seconds": round(elapsed, 2),
        "seed": seed,
        "routes": len(operations),
        "byStatus": {str(k): v for k, v in sorted(tally.by_status.items())},
        "byRoute": {route: {str(k): v for k, v in sorted(c.items())} for route, c in sorted(tally.by_route.items())},
        "serverErrors": tally.server_errors,
        "nonJson4xx": tally.non_json_4xx,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fuzz.json")
    args = parser.parse_args(argv)
    report = run(args.requests, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    summary = {k: report[k] for k in ("requests", "seconds", "byStatus")}
    summary.update(serverErrors=len(report["serverErrors"]), nonJson4xx=len(report["nonJson4xx"]))
    print(json.dumps(summary))
    return 1 if report["serverErrors"] or report["nonJson4xx"] else 0


if __name__ == "__main__":
    sys.exit(main())
