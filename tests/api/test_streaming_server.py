"""NDJSON over a real uvicorn on 127.0.0.1 (ASGITransport buffers whole bodies, so it cannot show these):
lines arrive while the step still runs, and a client that goes away cancels the step.

The server runs in the test's own event loop on a socket bound to a free port, and stops itself.
"""
from __future__ import annotations

import asyncio
import json
import socket
from contextlib import asynccontextmanager

import httpx
import uvicorn

from app.clock import VirtualClock
from app.main import create_app
from app.settings import Settings

from api_helpers import FIXTURE, creds, offline

NDJSON = {"Accept": "application/x-ndjson"}


@asynccontextmanager
async def served(app):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)  # accepting before uvicorn starts: the client's first connect just waits in the backlog
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on", timeout_graceful_shutdown=2))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield client
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)
        sock.close()


def fixture_app():
    app = create_app(Settings(), component_path=FIXTURE, clock=VirtualClock(), transport=httpx.MockTransport(offline))
    return app, app.state.runtime.component.find("echo").module


async def test_given_a_real_server_when_a_step_emits_then_the_line_arrives_before_the_step_ends_and_errors_end_the_stream():
    app, module = fixture_app()
    module.GATE = asyncio.Event()
    async with served(app) as client:
        body = {"cfg": creds(), "msg": {"body": {"behaviour": "gate"}}}
        async with client.stream("POST", "/actions/echo/execute", json=body, headers=NDJSON) as response:
            assert response.status_code == 200
            lines = response.aiter_lines()
            first = json.loads(await asyncio.wait_for(lines.__anext__(), timeout=10))
            assert first == {"type": "data", "body": {"n": 0}}
            assert not module.GATE.is_set()  # the step is still waiting: the line came incrementally
            module.GATE.set()  # now the step raises
            rest = [json.loads(line) async for line in lines if line]
    assert [e["type"] for e in rest] == ["error", "end"]
    assert rest[1]["outcome"] == "error"
    assert "CANARY" not in json.dumps(rest)


async def test_given_a_real_server_when_the_client_disconnects_mid_stream_then_the_step_is_cancelled():
    app, module = fixture_app()
    module.CANCELLED = asyncio.Event()
    async with served(app) as client:
        body = {"cfg": creds(), "msg": {"body": {"behaviour": "forever"}}}
        async with client.stream("POST", "/actions/echo/execute", json=body, headers=NDJSON) as response:
            lines = response.aiter_lines()
            for _ in range(3):
                await asyncio.wait_for(lines.__anext__(), timeout=10)
        # leaving the block closed the connection
        await asyncio.wait_for(module.CANCELLED.wait(), timeout=10)
