"""Server mode: the sandbox under a real uvicorn on 127.0.0.1 (loopback only), where faults are
real network faults: "drop" cuts the body short of its Content-Length, "slow" answers late."""
from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import pytest
import uvicorn

from app.sandbox import Sandbox

from .helpers import ORDERS, Caller


@pytest.fixture
async def served(clock):
    sb = Sandbox(clock=clock, wall=clock.time)
    sb.slow_seconds = 0.5
    server = uvicorn.Server(uvicorn.Config(sb.app, host="127.0.0.1", port=0, log_level="critical",
                                           access_log=False, lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield sb, port
    server.should_exit = True
    await task


async def test_given_a_real_server_when_called_then_it_answers_signed_requests(served, clock):
    sb, port = served
    async with httpx.AsyncClient() as http:
        response = await Caller(http, clock, host=f"127.0.0.1:{port}").call(ORDERS, "GetServiceStatus")
    assert response.status_code == 200, response.text


async def test_given_a_drop_fault_on_a_real_server_then_the_client_sees_a_protocol_error(served, clock):
    sb, port = served
    sb.faults.add("GetServiceStatus", "drop", 1)
    async with httpx.AsyncClient() as http:
        caller = Caller(http, clock, host=f"127.0.0.1:{port}")
        with pytest.raises(httpx.RemoteProtocolError):
            await caller.call(ORDERS, "GetServiceStatus")
        assert (await caller.call(ORDERS, "GetServiceStatus")).status_code == 200


async def test_given_a_slow_fault_on_a_real_server_then_a_short_client_timeout_expires(served, clock):
    sb, port = served
    sb.faults.add("GetServiceStatus", "slow", 1)
    async with httpx.AsyncClient(timeout=0.1) as http:
        with pytest.raises(httpx.ReadTimeout):
            await Caller(http, clock, host=f"127.0.0.1:{port}").call(ORDERS, "GetServiceStatus")


def test_given_the_module_entry_point_then_it_documents_port_and_host():
    out = subprocess.run([sys.executable, "-m", "app.sandbox", "--help"], capture_output=True, text=True,
                         check=True).stdout
    assert "--port" in out and "--host" in out
