"""Fixtures for the MWS client tests: a respx router as the transport, a client builder."""
from __future__ import annotations

from typing import Any, Callable

import httpx
import pytest
import respx

from app.clock import VirtualClock
from app.mws.client import MWSClient
from app.mws.credentials import Credentials
from app.pacing.pacer import Pacer
from app.settings import Settings

from .builders import CFG, ENDPOINT


@pytest.fixture
def router() -> respx.Router:
    return respx.Router(base_url=ENDPOINT, assert_all_called=False)


@pytest.fixture
async def http(router: respx.Router):
    async with httpx.AsyncClient(transport=httpx.MockTransport(router.async_handler)) as client:
        yield client


@pytest.fixture
def make_client(http: httpx.AsyncClient, clock: VirtualClock) -> Callable[..., MWSClient]:
    def build(*, mode: str = "run", deadline: float | None = None, settings: Settings | None = None,
              pacer: Pacer | None = None, cfg: dict[str, Any] | None = None, **kwargs: Any) -> MWSClient:
        settings = settings or Settings()
        return MWSClient(Credentials.from_cfg(cfg or CFG), http=http, clock=clock, settings=settings,
                         pacer=pacer or Pacer(clock, settings), mode=mode, deadline=deadline, **kwargs)

    return build


class Script:
    """A respx side effect that answers from a list and records when (on the clock) each request came."""

    def __init__(self, clock: VirtualClock, answers: list[Any]) -> None:
        self.clock = clock
        self.answers = list(answers)
        self.times: list[float] = []
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.times.append(self.clock.time())
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.times, self.times[1:])]


@pytest.fixture
def script(clock: VirtualClock) -> Callable[[list[Any]], Script]:
    return lambda answers: Script(clock, answers)


@pytest.fixture
async def hostile():
    """hostile(handler, lifetime=30) -> a started raw HTTP server on 127.0.0.1, stopped when the test ends."""
    from .hostile import Hostile

    servers: list[Hostile] = []

    async def start(handler, lifetime: float = 30.0) -> Hostile:
        servers.append(await Hostile(handler, lifetime).start())
        return servers[-1]

    yield start
    for server in servers:
        await server.stop()


@pytest.fixture
def logged(caplog):
    """Every log record's text at DEBUG (httpx and httpcore included), for canary checks."""
    import logging

    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "app.mws"):
        caplog.set_level(logging.DEBUG, logger=name)
    return lambda: "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
