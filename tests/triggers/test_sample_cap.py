"""Sample mode emits at most `maxResultsPerPage` orders, whatever the server sends (hardening), and a
hand-edited feed snapshot that names no submission is a 422 (nothing sent to Amazon)."""
from __future__ import annotations

import copy

import httpx
from lxml import etree
from orders_helpers import QUIET, emitted_orders


class DoublingOrders(httpx.AsyncBaseTransport):
    """Answers every ListOrders page with each order twice over (the copies renamed): a server that
    sends more than it was asked for."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        if b"<ListOrdersResult>" not in body:
            return httpx.Response(response.status_code, headers=response.headers, content=body)
        root = etree.fromstring(body)
        for orders in root.iter("{*}Orders"):
            for order in list(orders):
                twin = copy.deepcopy(order)
                for order_id in twin.iter("{*}AmazonOrderId"):
                    order_id.text = order_id.text[:-3] + "999"
                orders.append(twin)
        content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return httpx.Response(response.status_code, headers=headers, content=content)


async def test_given_a_server_sending_more_than_asked_when_sampled_then_at_most_max_results_per_page(make_service):
    svc = await make_service(order_every=QUIET, wrap=DoublingOrders)

    result = await svc.trigger({"maxResultsPerPage": 5}, mode="sample")

    assert result["outcome"] == "ok"
    assert len(emitted_orders(result)) == 5
    assert svc.actions() == ["ListOrders"]


async def test_given_a_feed_snapshot_whose_id_is_not_a_string_when_executed_then_422_and_nothing_sent(make_service):
    svc = await make_service(order_every=QUIET)
    for bad in ({}, True, 7, ""):
        body = {"cfg": svc.cfg, "msg": {"body": {"messages": [{"SKU": "A", "Quantity": 1}]}},
                "snapshot": {"feedSubmissionId": bad, "contentMd5": "x"}}
        response = await svc.client.post("/actions/updateItem/execute", json=body)
        assert response.status_code == 422
        assert {p["path"] for p in response.json()["detail"]} == {"snapshot.feedSubmissionId"}
    assert svc.calls == []
