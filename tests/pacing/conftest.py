"""A real redis-server for the pacing tests: started on a free port in a temporary folder, stopped after
the module. Absent (no /usr/bin/redis-server), the Redis tests are skipped with the reason — under
CI=true they fail instead, since .ci/run installs it."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """(url, stop, start): a redis-server on 127.0.0.1, and a way to stop and restart it (fault tests)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed: .ci/run installs it")
        pytest.skip("redis-server is not installed (Debian's redis-server package)")
    port, folder = _free_port(), tmp_path_factory.mktemp("redis")
    state: dict = {}

    def start() -> None:
        state["process"] = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                return
            except OSError:
                time.sleep(0.01)  # the server's own start-up, not a test timing
        raise RuntimeError("redis-server did not start")

    def stop() -> None:
        process = state.pop("process", None)
        if process is not None:
            process.terminate()
            process.wait(timeout=10)

    start()
    yield f"redis://127.0.0.1:{port}/0", stop, start
    stop()


@pytest.fixture
def redis_url(redis_server):
    """A clean database for each test."""
    import redis

    url, _stop, _start = redis_server
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    return url


from orders_helpers import make_service  # noqa: E402,F401  (a fixture)
