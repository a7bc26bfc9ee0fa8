"""Amazon documents both ListOrders bounds as inclusive. Against an Amazon that really is, an order
updated exactly at the echoed LastUpdatedBefore comes in two consecutive windows; the trigger still
emits it once. (The sandbox is half-open, so this fake Amazon is inclusive on purpose.)"""
from __future__ import annotations

from urllib.parse import parse_qsl

import httpx
import pytest

from app.clock import VirtualClock
from app.dates import parse_date
from app.main import create_app
from app.mws.orders import NOT_OPEN_YET as _NOT_OPEN_YET
from app.settings import PROJECT_ROOT, Settings

NS = "https://mws.amazonservices.com/Orders/2013-09-01"
CFG = {"sellerId": "A1SELLER", "accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "secret",
       "marketplaceId": "ATVPDKIKX0DER", "endpointUrl": "http://amazon.test"}
T1, T2, T3 = "2026-11-20T10:00:00Z", "2026-11-20T11:00:00.000Z", "2026-11-20T12:00:00Z"
ORDERS = [("111-0000001-0000001", "2026-11-20T09:30:00Z"),
          ("111-0000002-0000002", "2026-11-20T10:00:00.000Z"),   # exactly at the first echo
          ("111-0000003-0000003", "2026-11-20T10:30:00Z"),
          ("111-0000004-0000004", "2026-11-20T11:00:00Z")]      # exactly at the second echo


def inclusive_amazon(echoes: list[str]):
    def handle(request: httpx.Request) -> httpx.Response:
        params = dict(parse_qsl(request.content.decode()))
        after = parse_date(params["LastUpdatedAfter"])
        before = echoes.pop(0)
        rows = [(i, d) for i, d in ORDERS if after <= parse_date(d) <= parse_date(before)]
        orders = "".join(f"<Order><AmazonOrderId>{i}</AmazonOrderId><PurchaseDate>{d}</PurchaseDate>"
                         f"<LastUpdateDate>{d}</LastUpdateDate><OrderStatus>Shipped</OrderStatus></Order>"
                         for i, d in rows)
        body = (f'<?xml version="1.0"?><ListOrdersResponse xmlns="{NS}"><ListOrdersResult>'
                f"<LastUpdatedBefore>{before}</LastUpdatedBefore><Orders>{orders}</Orders></ListOrdersResult>"
                "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></ListOrdersResponse>")
        return httpx.Response(200, text=body, headers={"content-type": "text/xml"})
    return handle


async def poll_three_windows() -> tuple[list[str], dict]:
    app = create_app(Settings(endpoint_allowlist=("http://amazon.test", "http://mws.test")), component_path=PROJECT_ROOT / "component.json", clock=VirtualClock(),
                     transport=httpx.MockTransport(inclusive_amazon([T1, T2, T3])))
    emitted, snapshot = [], {}
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        for _ in range(3):
            result = (await client.post("/triggers/getNewAndUpdatedOrders/execute",
                                        json={"cfg": CFG, "snapshot": snapshot})).json()
            assert result["outcome"] == "ok", result
            emitted += [e["body"]["amazonOrderId"] for e in result["events"] if e["type"] == "data"]
            snapshot = result["snapshot"]
    return emitted, snapshot


async def test_given_orders_exactly_at_the_window_bounds_when_polling_three_windows_then_each_is_emitted_once():
    emitted, snapshot = await poll_three_windows()

    assert sorted(emitted) == [i for i, _ in ORDERS]
    assert snapshot["lastUpdatedAfter"] == "2026-11-20T12:00:00Z" and "seenAtStart" not in snapshot


@pytest.mark.parametrize("message", [
    "The LastUpdatedAfter date is after the LastUpdatedBefore date",
    "LastUpdatedAfter date [2021-02-19T10:00:00Z] cannot be after LastUpdatedBefore date [2021-01-20T10:00:00Z]",
])
def test_given_either_wording_of_amazons_window_not_open_error_then_the_trigger_recognises_it(message):
    assert _NOT_OPEN_YET.search(message)
