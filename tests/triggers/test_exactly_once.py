"""Get New And Updated Orders: exactly once across 50 polls while orders change and faults hit at random."""
from __future__ import annotations

import random
from collections import Counter

from app.dates import parse_date
from orders_helpers import emitted_orders, errors, in_window, iso

KINDS = ("500", "503", "malformed", "drop", "slow")
OPERATIONS = ("ListOrders", "ListOrdersByNextToken")


async def test_given_50_polls_with_random_faults_while_orders_change_when_snapshots_are_carried_then_exactly_once(make_service):
    rng = random.Random(20261130)
    svc = await make_service(order_every=60, step_timeout_ms=300_000)
    start = iso(svc.clock.time() - 2 * 86400)
    fields = {"startTime": start, "maxResultsPerPage": 5}
    snapshot: dict = {}
    emitted: list[tuple[str, str]] = []
    outcomes: Counter[str] = Counter()

    async def poll() -> None:
        nonlocal snapshot
        result = await svc.trigger(fields, snapshot=snapshot)
        outcomes[result["outcome"]] += 1
        assert result["outcome"] in ("ok", "rebound"), errors(result)
        emitted.extend((o["amazonOrderId"], o["lastUpdateDate"]) for o in emitted_orders(result))
        snapshot = result["snapshot"]  # exactly as the platform carries it, rebound or not

    for _ in range(50):
        for _ in range(rng.randint(0, 2)):
            svc.sandbox.faults.add(rng.choice(OPERATIONS), rng.choice(KINDS), rng.randint(1, 3))
        await poll()
        svc.clock.advance(rng.uniform(60, 900))  # the sandbox adds or updates an order a minute
    svc.sandbox.faults.clear()
    for _ in range(10):  # let a window that is still cut short finish
        await poll()
        if "nextToken" not in snapshot:
            break

    assert "nextToken" not in snapshot
    watermark = snapshot["lastUpdatedAfter"]
    assert parse_date(watermark) > parse_date(start)
    duplicates = [pair for pair, n in Counter(emitted).items() if n > 1]
    assert duplicates == []
    truth = in_window(svc, start, watermark)  # every order's final version within the covered range
    assert len(truth) > 50
    missing = {(i, d) for i, d in truth.items()} - set(emitted)
    assert missing == set()
    lo, hi = parse_date(start), parse_date(watermark)
    assert all(lo <= parse_date(d) < hi for _, d in emitted)
    assert outcomes["rebound"] >= 1 and outcomes["ok"] >= 25  # the faults did cut some polls short
