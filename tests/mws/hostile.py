"""Hostile MWS endpoints of a test's own: a raw HTTP/1.1 server on 127.0.0.1 (a free port), whose
answers a test scripts byte by byte (trickled bodies, no answer at all, redirects, looping tokens).

Bounded and self-stopping: every connection handler is cancelled when the test ends, and the server
closes itself after `lifetime` seconds whatever happens. Never any non-loopback address.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl

import httpx

from app.clock import VirtualClock
from app.mws.client import MWSClient
from app.mws.credentials import Credentials
from app.pacing.pacer import Pacer
from app.runtime.http import build_client
from app.settings import Settings

LOOPBACK = "127.0.0.1"
SECRET = "CANARY-SECRET-hn/+=7"
TOKEN = "amzn.mws.CANARY-TOKEN-hn42"
KEY_ID = "AKIACANARYHN"
SELLER = "A1VICTIMSELLER"
CANARY_CFG = {"sellerId": SELLER, "accessKeyId": KEY_ID, "secretAccessKey": SECRET, "mwsAuthToken": TOKEN,
              "marketplaceId": "ATVPDKIKX0DER"}
ALLOW_LOOPBACK = Settings(endpoint_allowlist=(f"http://{LOOPBACK}:*",), throttle_retry_delay_ms=0)


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def params(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode(errors="replace"), keep_blank_values=True))


Handler = Callable[[Request, asyncio.StreamWriter], Awaitable[Any]]


@dataclass
class Hostile:
    handler: Handler
    lifetime: float = 30.0
    requests: list[Request] = field(default_factory=list)
    connections: int = 0
    port: int = 0
    _server: Any = None
    _tasks: set = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    async def start(self) -> "Hostile":
        self._server = await asyncio.start_server(self._serve, LOOPBACK, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        asyncio.get_running_loop().call_later(self.lifetime, self._server.close)
        return self

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._tasks.add(asyncio.current_task())
        self.connections += 1
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                method, target, _ = head[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in head[1:] if ":" in h)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                request = Request(method, target, headers, body)
                self.requests.append(request)
                await self.handler(request, writer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self._tasks.discard(asyncio.current_task())

    async def stop(self) -> None:
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def head(status: int, headers: dict[str, str] | None = None, length: int | None = None, reason: str = "X") -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}", "Content-Type: text/xml"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def answer(writer: asyncio.StreamWriter, status: int, body: str | bytes, headers: dict[str, str] | None = None) -> None:
    data = body.encode() if isinstance(body, str) else body
    writer.write(head(status, headers, len(data)) + data)


def mws_client(url: str, *, settings: Settings = ALLOW_LOOPBACK, cfg: dict | None = None, pacer: Pacer | None = None,
               http: httpx.AsyncClient | None = None, clock: VirtualClock | None = None, mode: str = "sample",
               deadline: float | None = None) -> MWSClient:
    clock = clock or VirtualClock()
    return MWSClient(Credentials.from_cfg({**(cfg or CANARY_CFG), "endpointUrl": url}),
                     http=http or build_client(timeout=settings.mws_http_timeout), clock=clock, settings=settings,
                     pacer=pacer or Pacer(clock, settings), mode=mode, deadline=deadline)


def assert_no_canary(*texts: Any) -> None:
    for text in texts:
        text = str(text)
        for canary in (SECRET, TOKEN, KEY_ID, "CANARY-SECRET", "CANARY-TOKEN", "CANARY-SECRET-hn%2F"):
            assert canary not in text
