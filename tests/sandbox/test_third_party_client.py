"""A real third-party MWS client nobody here wrote — `mws` (python-amazon-mws 0.8.15 from PyPI, built on
requests) — drives the sandbox over a real uvicorn server on 127.0.0.1: it lists orders following
the NextTokens (whose `+` and `/` it must percent-encode) and reads the participations list, both pages.

How, and why so:
- The library runs in a child Python (`-I`, in a temporary folder): in this test session the name
  `mws` is tests/mws, the client's own tests, so it cannot be imported here.
- It signs the endpoint host with any "https://" stripped, so the server speaks TLS with a
  certificate for 127.0.0.1 made on the spot by `trustme`, trusted through REQUESTS_CA_BUNDLE.
- It stamps requests with the real UTC time, so the sandbox checks Timestamps against the wall clock
  while its data runs on a VirtualClock started now.
- Proxies are switched off for the child: nothing leaves the loopback interface.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import time

import pytest
import trustme
import uvicorn

from app.clock import VirtualClock
from app.sandbox import DEMO, Sandbox

from .helpers import iso

DRIVER = r'''
import json, sys

import mws          # its parsed nodes give a leaf's text when indexed: order["AmazonOrderId"] is a str

creds, domain, since = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]


def api(cls):
    return cls(access_key=creds["accessKeyId"], secret_key=creds["secretAccessKey"], account_id=creds["sellerId"],
               auth_token=creds["mwsAuthToken"], domain=domain)


def as_list(node):
    return node if isinstance(node, list) else [node]     # one element parses to a node, several to a list


orders_api = api(mws.Orders)
response = orders_api.list_orders(marketplaceids=["ATVPDKIKX0DER"], lastupdatedafter=since, max_results="25")
ids, tokens = [], []
while True:
    result = response.parsed
    ids += [order["AmazonOrderId"] for order in as_list(result["Orders"]["Order"])]
    token = result["NextToken"] if "NextToken" in result else None
    if not token:
        break
    tokens.append(token)
    response = orders_api.list_orders(next_token=token)

sellers_api = api(mws.Sellers)
first = sellers_api.list_marketplace_participations().parsed
token = first["NextToken"]
second = sellers_api.list_marketplace_participations(next_token=token).parsed
participations = [p["MarketplaceId"] for page in (first, second)
                  for p in as_list(page["ListParticipations"]["Participation"])]
print(json.dumps({"version": mws.__version__, "ids": ids, "tokens": tokens, "participations": participations,
                  "participationsToken": token}))
'''


@pytest.fixture
async def https_sandbox(tmp_path):
    ca = trustme.CA()
    server_pem, ca_pem = tmp_path / "server.pem", tmp_path / "ca.pem"
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(server_pem))
    ca.cert_pem.write_to_path(str(ca_pem))
    clock = VirtualClock(start=time.time())
    sb = Sandbox(clock=clock, wall=time.time, quotas={"ListOrders": {"max": 100}})
    server = uvicorn.Server(uvicorn.Config(sb.app, host="127.0.0.1", port=0, log_level="critical", access_log=False,
                                           lifespan="off", ssl_keyfile=str(server_pem), ssl_certfile=str(server_pem)))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield sb, clock, f"https://127.0.0.1:{port}", ca_pem
    server.should_exit = True
    await task


async def drive(tmp_path, domain: str, since: str, ca_pem) -> dict:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and not k.startswith("PYTHON")}
    env.update(REQUESTS_CA_BUNDLE=str(ca_pem), NO_PROXY="*")
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-I", "-c", DRIVER, json.dumps(DEMO), domain, since, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(child.communicate(), timeout=120)
    assert child.returncode == 0, err.decode()
    return json.loads(out)


async def test_given_the_mws_library_when_it_pages_orders_and_participations_then_it_gets_each_row_once(
        https_sandbox, tmp_path):
    sb, clock, domain, ca_pem = https_sandbox
    since = clock.time() - 10 * 86_400
    seen = await drive(tmp_path, domain, iso(since), ca_pem)

    assert seen["version"].startswith("0.8.")
    window = (int(since * 1000), sb.now_ms() - 120_000)              # the echoed LastUpdatedBefore: now − 2 min
    expected = {o.amazon_order_id for o in sb.book.orders.values()
                if o.marketplace_id == "ATVPDKIKX0DER" and window[0] <= o.last_update_ms < window[1]}
    assert len(expected) > 50 and len(seen["tokens"]) >= 2
    assert len(seen["ids"]) == len(set(seen["ids"])) and set(seen["ids"]) == expected
    assert all("+" in t and "/" in t for t in seen["tokens"])
    assert seen["participations"] == ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A6W85IYQ5WB1C"]
    assert "+" in seen["participationsToken"] and "/" in seen["participationsToken"]
