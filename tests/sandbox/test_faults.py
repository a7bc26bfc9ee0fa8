"""Faults on request, in-process, and the admin routes that set them."""
from __future__ import annotations

import httpx
import pytest
from lxml import etree

from .helpers import ORDERS, SELLERS, error_code, text, xml


async def test_given_a_500_fault_for_two_calls_then_two_internal_errors_then_normal(mws, sandbox):
    sandbox.faults.add("GetServiceStatus", "500", 2)
    codes = [(await mws.call(ORDERS, "GetServiceStatus")) for _ in range(3)]
    assert [(r.status_code, error_code(r) if r.status_code != 200 else None) for r in codes] == \
        [(500, "InternalError"), (500, "InternalError"), (200, None)]
    assert text(xml(codes[0]), "RequestId") == codes[0].headers["x-mws-request-id"]


async def test_given_a_503_fault_then_request_throttled(mws, sandbox):
    sandbox.faults.add("ListMarketplaceParticipations", "503", 1)
    response = await mws.call(SELLERS, "ListMarketplaceParticipations")
    assert (response.status_code, error_code(response)) == (503, "RequestThrottled")


async def test_given_a_fault_for_one_operation_then_other_operations_are_unaffected(mws, sandbox):
    sandbox.faults.add("ListOrders", "500", 1)
    assert (await mws.call(ORDERS, "GetServiceStatus")).status_code == 200
    assert sandbox.faults.pending() == [{"operation": "ListOrders", "kind": "500", "count": 1}]


async def test_given_a_malformed_fault_then_status_200_with_xml_cut_short(mws, sandbox):
    sandbox.faults.add("ListMarketplaceParticipations", "malformed", 1)
    response = await mws.call(SELLERS, "ListMarketplaceParticipations")
    assert response.status_code == 200 and response.content.startswith(b'<?xml version="1.0"?>')
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)


async def test_given_a_drop_fault_in_process_then_remote_protocol_error(mws, sandbox):
    sandbox.faults.add("GetServiceStatus", "drop", 1)
    with pytest.raises(httpx.RemoteProtocolError):
        await mws.call(ORDERS, "GetServiceStatus")
    assert (await mws.call(ORDERS, "GetServiceStatus")).status_code == 200


async def test_given_a_slow_fault_in_process_then_read_timeout_after_the_sandbox_clock_moved(mws, sandbox, clock):
    sandbox.faults.add("GetServiceStatus", "slow", 1)
    start = clock.time()
    with pytest.raises(httpx.ReadTimeout):
        await mws.call(ORDERS, "GetServiceStatus")
    assert clock.time() - start == sandbox.slow_seconds


def test_given_bad_fault_input_then_add_refuses_it(sandbox):
    from app.sandbox.faults import FaultError
    for args in (("NoSuchOp", "500", 1), ("ListOrders", "404", 1), ("ListOrders", "500", 0),
                 ("ListOrders", "500", True)):
        with pytest.raises(FaultError):
            sandbox.faults.add(*args)


def test_given_feeds_operations_then_faults_can_be_set_before_feeds_are_served(sandbox):
    sandbox.faults.add("SubmitFeed", "drop", 1)
    assert sandbox.faults.pending() == [{"operation": "SubmitFeed", "kind": "drop", "count": 1}]


async def test_given_the_admin_route_when_posting_a_fault_then_it_applies_and_shows_in_the_state(http, mws):
    response = await http.post("http://sandbox.test/sandbox/admin/faults",
                               json={"operation": "GetOrder", "kind": "503", "count": 2})
    assert response.status_code == 200
    state = (await http.get("http://sandbox.test/sandbox/admin/state")).json()
    assert state["faults"] == [{"operation": "GetOrder", "kind": "503", "count": 2}]
    assert state["orderCount"] == 250 and len(state["orders"]) == 250 and state["catalog"]
    got = await mws.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": "111-0000000-0000000"})
    assert got.status_code == 503


@pytest.mark.parametrize("body,path", [
    ({"kind": "500", "count": 1}, "operation"),
    ({"operation": "Nope", "kind": "500", "count": 1}, "operation"),
    ({"operation": "ListOrders", "kind": "teapot", "count": 1}, "kind"),
    ({"operation": "ListOrders", "kind": "500", "count": -3}, "count"),
    ({"operation": "ListOrders", "kind": "500", "count": "two"}, "count"),
    (["ListOrders"], "body"),
])
async def test_given_bad_admin_input_when_posting_a_fault_then_422_naming_the_field(http, body, path):
    response = await http.post("http://sandbox.test/sandbox/admin/faults", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["path"] == path


async def test_given_a_body_that_is_not_json_when_posting_a_fault_then_422(http):
    response = await http.post("http://sandbox.test/sandbox/admin/faults", content=b"{nope")
    assert response.status_code == 422


async def test_given_the_standalone_app_then_admin_and_mws_are_both_served(sandbox, clock):
    from .helpers import Caller
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app)) as http:
        assert (await http.get("http://sandbox.test/sandbox/admin/state")).status_code == 200
        response = await Caller(http, clock).call(ORDERS, "GetServiceStatus")
        assert response.status_code == 200, response.text
