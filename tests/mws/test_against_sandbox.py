"""The client against the in-process sandbox on one VirtualClock: pacing under network latency,
hourly quotas shared with another process, participations on several pages."""
from __future__ import annotations

import random
from urllib.parse import parse_qsl

import httpx
import pytest

from app.clock import VirtualClock
from app.mws.client import MWSClient
from app.mws.credentials import Credentials
from app.mws.errors import RequestError
from app.mws.sellers import verify_credentials
from app.pacing.pacer import Pacer
from app.runtime.context import Services
from app.runtime.errors import DeadlineExceeded
from app.sandbox import DEMO, Sandbox
from app.settings import Settings

WINDOW = {"MarketplaceId.Id.1": "ATVPDKIKX0DER", "LastUpdatedAfter": "2020-01-01T00:00:00Z",
          "MaxResultsPerPage": "1"}


class Latency(httpx.AsyncBaseTransport):
    """Each request travels 0.05-0.4 s (the shared clock moves) before the sandbox sees it; records answers."""

    def __init__(self, inner: httpx.AsyncBaseTransport, clock: VirtualClock, rng: random.Random | None,
                 low: float = 0.05, high: float = 0.4) -> None:
        self.inner, self.clock, self.rng, self.low, self.high = inner, clock, rng, low, high
        self.answers: list[tuple[str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.rng is not None:
            self.clock.advance(self.rng.uniform(self.low, self.high))
        response = await self.inner.handle_async_request(request)
        action = dict(parse_qsl(request.content.decode("ascii", "replace"))).get("Action", "?")
        self.answers.append((action, response.status_code))
        return response

    def statuses(self) -> list[int]:
        return [status for _, status in self.answers]


def client(http: httpx.AsyncClient, clock: VirtualClock, pacer: Pacer, *, mode: str = "run",
           deadline: float | None = None, settings: Settings | None = None) -> MWSClient:
    return MWSClient(Credentials.from_cfg(DEMO), http=http, clock=clock, settings=settings or Settings(),
                     pacer=pacer, mode=mode, deadline=deadline, default_endpoint="http://sandbox.test")


# -- 1. pacing with a safety pad ------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("operation, params, calls", [
    ("ListOrders", WINDOW, 60),
    ("ListOrderItems", {"AmazonOrderId": "111-0000000-0000000"}, 150),
])
async def test_given_random_latency_per_request_when_a_long_paced_sequence_runs_then_the_sandbox_never_answers_503(
        clock, seed, operation, params, calls):
    sandbox = Sandbox(clock=clock, wall=clock.time)
    wire = Latency(sandbox.transport(), clock, random.Random(seed))
    async with httpx.AsyncClient(transport=wire) as http:
        mws = client(http, clock, Pacer(clock, Settings()))
        for _ in range(calls):
            try:
                await mws.call(operation, params)
            except RequestError:  # an unknown order id is fine: only throttling matters here
                pass
    assert len(wire.answers) == calls and 503 not in wire.statuses()


async def test_given_no_latency_when_paced_for_an_hour_then_the_pad_costs_at_most_one_page_of_list_orders(clock):
    sandbox = Sandbox(clock=clock, wall=clock.time)
    wire = Latency(sandbox.transport(), clock, None)
    start = clock.time()
    async with httpx.AsyncClient(transport=wire) as http:
        mws = client(http, clock, Pacer(clock, Settings()), deadline=start + 3600)
        with pytest.raises(DeadlineExceeded):
            while True:
                await mws.call("ListOrders", WINDOW)
    # Amazon's limit is 6 + 60 in the first hour; the pad gives up the last one.
    assert wire.statuses() == [200] * 65


# -- 2. hourly quotas: reset info on QuotaExceeded, a count shared with another process --------------------

def feeds_sandbox(clock: VirtualClock, hourly: int = 3) -> Sandbox:
    return Sandbox(clock=clock, wall=clock.time,
                   quotas={"GetFeedSubmissionCount": {"max": 100, "restorePerSecond": 10, "hourly": hourly}})


async def test_given_another_process_spent_the_hour_when_the_quota_headers_say_none_remain_then_the_pacer_waits_for_the_reset(
        clock):
    sandbox = feeds_sandbox(clock)
    wire = Latency(sandbox.transport(), clock, None)
    async with httpx.AsyncClient(transport=wire) as http:
        other = client(http, clock, Pacer(clock, Settings()))          # a second process on the account
        ours = client(http, clock, Pacer(clock, Settings()))
        await ours.call("GetFeedSubmissionCount", {})                   # headers: 2 left
        await other.call("GetFeedSubmissionCount", {})
        result = await ours.call("GetFeedSubmissionCount", {})         # headers: 0 left, reset in ~1 h
        assert result.headers["x-mws-quota-remaining"] == "0.0"
        before = clock.time()
        await ours.call("GetFeedSubmissionCount", {})
    assert 503 not in wire.statuses()
    assert clock.time() - before == pytest.approx(3600, abs=1)


async def test_given_remaining_quota_used_by_another_process_when_pacing_then_our_reservations_count_against_it(
        clock):
    sandbox = feeds_sandbox(clock, hourly=4)
    wire = Latency(sandbox.transport(), clock, None)
    async with httpx.AsyncClient(transport=wire) as http:
        other = client(http, clock, Pacer(clock, Settings()))
        ours = client(http, clock, Pacer(clock, Settings()))
        await other.call("GetFeedSubmissionCount", {})
        await other.call("GetFeedSubmissionCount", {})
        await ours.call("GetFeedSubmissionCount", {})                   # Amazon: 1 left
        await ours.call("GetFeedSubmissionCount", {})                   # the last one, at once
        before = clock.time()
        await ours.call("GetFeedSubmissionCount", {})                   # waits for the hour
    assert wire.statuses() == [200] * 5
    assert clock.time() - before == pytest.approx(3600, abs=1)


async def test_given_quota_exceeded_from_the_sandbox_then_it_carries_the_quota_headers_and_run_mode_waits_for_the_reset(
        clock):
    sandbox = feeds_sandbox(clock)
    wire = Latency(sandbox.transport(), clock, None)
    async with httpx.AsyncClient(transport=wire) as http:
        other = client(http, clock, Pacer(clock, Settings()))
        for _ in range(3):
            await other.call("GetFeedSubmissionCount", {})
        ours = client(http, clock, Pacer(clock, Settings()), settings=Settings(throttle_retry_delay_ms=1000))
        before = clock.time()
        await ours.call("GetFeedSubmissionCount", {})
    assert wire.statuses() == [200, 200, 200, 503, 200]
    assert clock.time() - before == pytest.approx(3600, abs=1)


async def test_given_quota_exceeded_when_the_reset_is_past_the_deadline_then_deadline_exceeded_with_the_wait(clock):
    sandbox = feeds_sandbox(clock)
    wire = Latency(sandbox.transport(), clock, None)
    async with httpx.AsyncClient(transport=wire) as http:
        for _ in range(3):
            await client(http, clock, Pacer(clock, Settings())).call("GetFeedSubmissionCount", {})
        ours = client(http, clock, Pacer(clock, Settings()), deadline=clock.time() + 600)
        with pytest.raises(DeadlineExceeded) as info:
            await ours.call("GetFeedSubmissionCount", {})
    assert wire.statuses() == [200, 200, 200, 503]
    assert info.value.wait_seconds > 600


# -- 6. credentials: participations on a later page ------------------------------------------------------

@pytest.mark.parametrize("marketplace, verified, requests", [
    ("ATVPDKIKX0DER", True, 1),    # page 1: US, CA
    ("A6W85IYQ5WB1C", True, 2),    # page 2: the non-retail IBA marketplace
    ("A1F83G8C2ARO7P", False, 2),  # UK: on no page
])
async def test_given_the_demo_seller_when_verifying_a_marketplace_then_every_participation_page_is_read_as_needed(
        clock, marketplace, verified, requests):
    sandbox = Sandbox(clock=clock, wall=clock.time)
    wire = Latency(sandbox.transport(), clock, None)
    async with httpx.AsyncClient(transport=wire) as http:
        services = Services(settings=Settings(), clock=clock, http=http, default_endpoint="http://sandbox.test")
        answer = await verify_credentials({**DEMO, "marketplaceId": marketplace,
                                           "endpointUrl": "http://sandbox.test"}, services)
    assert answer[0] is verified
    assert [a for a, _ in wire.answers] == ["ListMarketplaceParticipations",
                                           "ListMarketplaceParticipationsByNextToken"][:requests]
