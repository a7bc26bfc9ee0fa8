"""Seeded, deterministic data and the lazy order generator."""
from __future__ import annotations

import re

from app.clock import VirtualClock
from app.sandbox import Sandbox

DAY_MS = 86_400_000
ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")


def test_given_the_same_seed_when_built_twice_then_the_data_is_identical():
    a, b = Sandbox(clock=VirtualClock(), seed=7).state(), Sandbox(clock=VirtualClock(), seed=7).state()
    assert a["orders"] == b["orders"] and a["catalog"] == b["catalog"]


def test_given_another_seed_then_the_data_differs():
    a, b = Sandbox(clock=VirtualClock(), seed=1).state(), Sandbox(clock=VirtualClock(), seed=2).state()
    assert a["orders"] != b["orders"]


def test_given_a_new_sandbox_then_250_orders_updated_over_the_last_30_days_with_3_7_7_ids(sandbox):
    orders = list(sandbox.book.orders.values())
    assert len(orders) == 250
    assert all(ORDER_ID.match(o.amazon_order_id) for o in orders)
    assert all(sandbox.start_ms - 30 * DAY_MS <= o.last_update_ms < sandbox.start_ms for o in orders)
    assert all(o.purchase_ms <= o.last_update_ms for o in orders)
    spread = max(o.last_update_ms for o in orders) - min(o.last_update_ms for o in orders)
    assert spread > 25 * DAY_MS


def test_given_a_new_sandbox_then_a_few_orders_are_in_the_canadian_marketplace_in_cad(sandbox):
    ca = [o for o in sandbox.book.orders.values() if o.marketplace_id == "A2EUQ1WTGCTBG2"]
    assert 5 <= len(ca) <= 25 and {o.currency for o in ca} == {"CAD"}


def test_given_orders_then_items_reference_the_catalog_and_counts_are_consistent(sandbox):
    statuses = set()
    for order in sandbox.book.orders.values():
        statuses.add(order.status)
        assert order.items
        for item in order.items:
            assert sandbox.book.catalog[item.sku].asin == item.asin
            assert 0 <= item.quantity_shipped <= item.quantity_ordered
        if order.status == "Shipped":
            assert order.unshipped == 0 and order.shipped > 0
        if order.status == "PartiallyShipped":
            assert order.shipped > 0 and order.unshipped > 0
    assert {"Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled"} <= statuses


def test_given_time_passes_when_the_state_is_read_then_one_event_per_order_every_applied_lazily(clock):
    sb = Sandbox(clock=clock, order_every=60)
    before = {o.amazon_order_id: o.last_update_ms for o in sb.book.orders.values()}
    clock.advance(60 * 10 + 30)
    assert len(sb.book.orders) == 250              # nothing happens until someone looks
    state = sb.state()
    assert sb.generator.applied == 10
    changed = [o for o in sb.book.orders.values() if before.get(o.amazon_order_id) != o.last_update_ms]
    assert len(changed) == 10 and state["orderCount"] >= 250
    assert sorted(o.last_update_ms for o in changed) == [sb.start_ms + k * 60_000 for k in range(1, 11)]


def test_given_the_same_seed_and_elapsed_time_then_the_generated_events_are_identical():
    states = []
    for _ in range(2):
        clock = VirtualClock()
        sb = Sandbox(clock=clock, seed=3, order_every=30)
        clock.advance(3600)
        states.append(sb.state()["orders"])
    assert states[0] == states[1]


def test_given_the_state_then_it_lists_sellers_catalog_orders_faults_and_buckets_without_secrets(sandbox):
    state = sandbox.state()
    assert {"sellers", "catalog", "orderCount", "orders", "faults", "throttle"} <= set(state)
    assert state["sellers"][0]["sellerId"] == "A1SANDBOXSELLER"
    assert {"amazonOrderId", "orderStatus", "lastUpdateDate"} <= set(state["orders"][0])
    assert "sandbox-secret-key" not in repr(state) and "amzn.mws.sandbox-demo" not in repr(state)
