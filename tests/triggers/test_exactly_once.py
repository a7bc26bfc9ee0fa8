"""Get New And Updated Orders: exactly once across 50 polls while orders change and faults hit at random,
on each backend (MWS: 500/503/malformed/drop/slow on ListOrders*; SP-API: 429 too, on searchOrders)."""
from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

from orders_helpers import emitted_orders, errors, in_window, iso

from app.dates import parse_date


async def test_given_50_polls_with_random_faults_while_orders_change_when_snapshots_are_carried_then_exactly_once(
        make_service, backend):
    rng = random.Random(20261130)
    svc = backend.use(await make_service(order_every=60, step_timeout_ms=300_000))
    start = iso(svc.clock.time() - 2 * 86400)
    # Pages small enough that windows span several: searchOrders restores one call per 180 s (ListOrders 60).
    fields = {"startTime": start, "maxResultsPerPage": 5 if backend.name == "mws" else 20}
    snapshot: dict = {}
    emitted: list[tuple[str, datetime]] = []
    outcomes: Counter[str] = Counter()

    async def poll() -> None:
        nonlocal snapshot
        result = await svc.trigger(fields, snapshot=snapshot)
        outcomes[result["outcome"]] += 1
        assert result["outcome"] in ("ok", "rebound"), errors(result)
        emitted.extend(backend.version(o) for o in emitted_orders(result))
        snapshot = result["snapshot"]  # exactly as the platform carries it, rebound or not

    for _ in range(50):
        for _ in range(rng.randint(0, 2)):
            svc.sandbox.faults.add(rng.choice(backend.page_operations), rng.choice(backend.fault_kinds),
                                   rng.randint(1, 3))
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
    missing = {(i, parse_date(d)) for i, d in truth.items()} - set(emitted)
    assert missing == set()
    lo, hi = parse_date(start), parse_date(watermark)
    assert all(lo <= d < hi for _, d in emitted)
    # The faults did cut some polls short (more on SP-API: after a 429 searchOrders restores one call per 180 s).
    assert outcomes["rebound"] >= 1 and outcomes["ok"] >= 15
