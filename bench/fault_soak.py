"""Fault soak: 200 successive getNewAndUpdatedOrders polls while orders change and 20 % of polls meet faults.

A sandbox server (bench/_bench_sandbox.py: quotas lifted; its data clock 100 times faster than real
time and --order-every 10, so an order is added or updated every 0.1 s and reaches the ListOrders
window, now − 2 min, 1.2 s later; --slow-seconds 3) and the service under uvicorn
(MWS_PACING=off, MWS_QUOTAS lifted, THROTTLE_RETRY_DELAY=200, STEP_TIMEOUT=3000, MWS_HTTP_TIMEOUT=1,
so a "slow" answer is a client timeout). 200 run-mode polls (maxResultsPerPage 2, so windows page
and ListOrdersByNextToken is called); each returned `snapshot` is the next call's, whatever the
outcome (ok, rebound, error), as the platform does. Before 40 of them (fixed seed) one fault is
POSTed to /sandbox/admin/faults: kinds 500, 503, malformed, drop, slow in turn, on ListOrders or
ListOrdersByNextToken, count 1 (every 4th: count 2, so retries run into STEP_TIMEOUT and the poll
rebounds). A ByNextToken fault waits for the next poll that pages.

Afterwards GET /sandbox/admin/state: the covered window is [1970, final snapshot.lastUpdatedAfter).
- lost: orders of the marketplace whose final version (id, lastUpdateDate) lies in the covered window
  and was never emitted;
- duplicated: (amazonOrderId, lastUpdateDate) pairs emitted more than once, and ids whose final
  version was emitted more than once.
Goal: 0 lost, 0 duplicated.

    python bench/fault_soak.py [--polls 200] [--fault-share 0.2]
"""
from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from typing import Any

import httpx

from _bench_sandbox import LIFTED, start_sandbox, start_service, stop
from _common import table, write_json

from app.sandbox import DEMO

TRIGGER = "/triggers/getNewAndUpdatedOrders/execute"
KINDS = ("500", "503", "malformed", "drop", "slow")
OPERATIONS = ("ListOrders", "ListOrdersByNextToken")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--fault-share", type=float, default=0.2)
    parser.add_argument("--page-size", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    faulted = set(rng.sample(range(args.polls), round(args.polls * args.fault_share)))
    plan: dict[int, dict[str, Any]] = {}
    for n, poll in enumerate(sorted(faulted)):
        plan[poll] = {"operation": OPERATIONS[(n // len(KINDS)) % 2], "kind": KINDS[n % len(KINDS)],
                      "count": 2 if n % 4 == 3 else 1}

    sandbox, sb_port = start_sandbox("--clock-speed", "100", "--order-every", "10", "--slow-seconds", "3")
    emitted: list[tuple[str, str]] = []
    outcomes: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    injected: Counter[str] = Counter()
    seconds: list[float] = []
    snapshot: dict[str, Any] = {}
    try:
        service, port = start_service(MWS_QUOTAS=LIFTED, THROTTLE_RETRY_DELAY="200", STEP_TIMEOUT="3000",
                                      MWS_HTTP_TIMEOUT="1")
        try:
            cfg = {**DEMO, "endpointUrl": f"http://127.0.0.1:{sb_port}", "emitBehavior": "emitIndividually",
                   "maxResultsPerPage": args.page_size}
            admin = httpx.Client(base_url=f"http://127.0.0.1:{sb_port}/sandbox/admin", timeout=30)
            step = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
            started = time.monotonic()
            for i in range(args.polls):
                if i in plan:
                    admin.post("/faults", json=plan[i]).raise_for_status()
                    injected[f"{plan[i]['operation']}/{plan[i]['kind']}"] += plan[i]["count"]
                t0 = time.perf_counter()
                r = step.post(TRIGGER, json={"cfg": cfg, "snapshot": snapshot, "mode": "run"})
                seconds.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    outcomes[f"http {r.status_code}"] += 1
                    continue
                result = r.json()
                outcomes[result["outcome"]] += 1
                for event in result["events"]:
                    if event["type"] == "data":
                        emitted.append((event["body"]["amazonOrderId"], event["body"]["lastUpdateDate"]))
                    elif event["type"] == "error":
                        errors[event["error"]["code"]] += 1
                snapshot = result["snapshot"]
            wall = time.monotonic() - started
            state = admin.get("/state").json()
            admin.close()
            step.close()
        finally:
            stop(service)
    finally:
        stop(sandbox)

    covered_end = snapshot.get("lastUpdatedAfter")
    orders = [o for o in state["orders"] if o["marketplaceId"] == DEMO["marketplaceId"]]
    counts = Counter(emitted)
    key = lambda ts: ts.replace("Z", "").ljust(23, "0")  # noqa: E731 - ISO UTC strings, ms or not
    in_window = [o for o in orders if covered_end and key(o["lastUpdateDate"]) < key(covered_end)]
    # Emitted dates may be written with or without milliseconds: compare them normalized.
    norm = Counter({(oid, key(ts)): c for (oid, ts), c in counts.items()})
    lost = [o["amazonOrderId"] for o in in_window if norm.get((o["amazonOrderId"], key(o["lastUpdateDate"])), 0) == 0]
    dup_pairs = sum(1 for c in norm.values() if c > 1)
    dup_final = sum(1 for o in in_window if norm.get((o["amazonOrderId"], key(o["lastUpdateDate"])), 0) > 1)
    pending = state.get("faults", [])
    pending_count = sum(f["count"] for f in pending)
    result = {
        "polls": args.polls, "faultedPolls": len(plan), "faultsInjected": sum(injected.values()),
        "faultsFired": sum(injected.values()) - pending_count, "faultsPendingAtEnd": pending,
        "injected": dict(injected), "outcomes": dict(outcomes), "errorCodes": dict(errors),
        "sandboxOrders": state["orderCount"], "marketplaceOrders": len(orders), "coveredEnd": covered_end,
        "sandboxNow": state["now"], "ordersInCoveredWindow": len(in_window), "emitted": len(emitted),
        "distinctEmitted": len(counts), "distinctIds": len({oid for oid, _ in emitted}), "lost": len(lost),
        "lostIds": lost[:20], "duplicatedPairs": dup_pairs, "duplicatedFinalVersions": dup_final,
        "wallSeconds": wall, "pollSecondsMax": max(seconds), "pollSecondsMedian": sorted(seconds)[len(seconds) // 2],
    }
    met = result["lost"] == 0 and dup_pairs == 0 and dup_final == 0 and not any(k.startswith("http") for k in outcomes)
    print(f"{args.polls} polls, {len(plan)} faulted ({result['faultsFired']} of {result['faultsInjected']} "
          f"fault answers met), {wall:.0f} s\n")
    print(table(["outcome", "polls"], [[k, v] for k, v in sorted(outcomes.items())]))
    if errors:
        print("\nerror codes: " + ", ".join(f"{k} {v}" for k, v in sorted(errors.items())))
    print()
    print(table(["figure", "value"], [
        ["orders in the sandbox (all marketplaces)", state["orderCount"]],
        ["orders in the marketplace", len(orders)],
        ["covered window ends", covered_end],
        ["final versions in the covered window", len(in_window)],
        ["emitted (data events)", len(emitted)],
        ["distinct (id, lastUpdateDate) emitted", len(counts)],
        ["lost (final version never emitted)", len(lost)],
        ["duplicated (id, lastUpdateDate)", dup_pairs],
        ["duplicated final versions", dup_final],
    ]))
    print(f"\ngoal (0 lost, 0 duplicated): {'MET' if met else 'MISSED'}")
    path = write_json("fault_soak", {"goal": {"lost": 0, "duplicated": 0, "met": met}, **result})
    print(f"written {path}")


if __name__ == "__main__":
    main()
