"""Routing on (path, Version, Action), and what every response carries."""
from __future__ import annotations

import re

from .helpers import ORDERS, ORDERS_NS, SELLERS, SELLERS_NS, error_code, text, xml

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


async def test_given_an_unknown_path_when_calling_then_404_invalid_address(mws):
    response = await mws.call("/Nothing/2020-01-01", "ListOrders")
    assert (response.status_code, error_code(response)) == (404, "InvalidAddress")
    assert xml(response).nsmap[None] == "https://mws.amazonservices.com/"


async def test_given_a_path_without_version_when_calling_then_404_api_version_is_missing(mws):
    response = await mws.call("/Sellers/", "ListMarketplaceParticipations")
    assert (response.status_code, error_code(response)) == (404, "InvalidAddress")
    assert text(xml(response), "Error/Message") == \
        "Resource /Sellers/ is not found on this server. API Version is missing"
    assert text(xml(response), "RequestID") == response.headers["x-mws-request-id"]


async def test_given_the_root_path_with_a_version_no_root_section_has_when_calling_then_404_invalid_address(mws):
    response = await mws.call("/", "ListOrders", Version="2013-09-01")
    assert (response.status_code, error_code(response)) == (404, "InvalidAddress")


async def test_given_a_version_param_of_another_api_when_calling_then_404_invalid_address(mws):
    response = await mws.call(ORDERS, "ListOrders", Version="2011-01-01")
    assert (response.status_code, error_code(response)) == (404, "InvalidAddress")


async def test_given_no_version_param_when_calling_then_400_missing_parameter(mws):
    response = await mws.call(ORDERS, "GetServiceStatus", Version=None)
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")


async def test_given_an_unknown_action_when_calling_then_400_invalid_parameter_value(mws):
    response = await mws.call(ORDERS, "DeleteEverything")
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")
    assert xml(response).nsmap[None] == ORDERS_NS


async def test_given_no_action_when_calling_then_400_missing_parameter(mws):
    response = await mws.call(ORDERS, None)
    assert (response.status_code, error_code(response)) == (400, "MissingParameter")


async def test_given_any_answer_then_it_has_request_id_timestamp_text_xml_and_the_xml_declaration(mws, clock):
    from .helpers import iso
    for response in (await mws.call(SELLERS, "GetServiceStatus"), await mws.call(ORDERS, "Nope")):
        request_id = response.headers["x-mws-request-id"]
        assert UUID.match(request_id)
        assert response.headers["content-type"] == "text/xml"
        assert response.headers["x-mws-timestamp"] == iso(clock.time())
        assert response.content.startswith(b'<?xml version="1.0"?>\n<')
        doc = xml(response)
        assert request_id in (text(doc, "ResponseMetadata/RequestId"), text(doc, "RequestId"))


async def test_given_get_service_status_in_both_sections_then_green_with_the_sandbox_time(mws, clock):
    from .helpers import iso
    for path, ns in ((ORDERS, ORDERS_NS), (SELLERS, SELLERS_NS)):
        response = await mws.call(path, "GetServiceStatus")
        doc = xml(response)
        assert doc.nsmap[None] == ns
        assert text(doc, "GetServiceStatusResult/Status") == "GREEN"
        assert text(doc, "GetServiceStatusResult/Timestamp") == iso(clock.time())


async def test_given_the_feeds_section_then_its_path_and_the_root_both_reach_it(mws):
    """Feeds is registered with root_alias: /Feeds/2009-01-01 and / (with Version=2009-01-01)."""
    for path in ("/Feeds/2009-01-01", "/"):
        response = await mws.call(path, "GetFeedSubmissionCount", Version="2009-01-01")
        assert response.status_code == 200, response.text
        assert xml(response).nsmap[None] == "http://mws.amazonaws.com/doc/2009-01-01/"


async def test_given_a_malformed_fault_when_the_call_fails_anyway_then_the_error_body_is_cut_too(sandbox, mws):
    sandbox.faults.add("GetOrder", "malformed", 1)
    response = await mws.call(ORDERS, "GetOrder")
    assert response.status_code == 400 and not response.content.rstrip().endswith(b"</ErrorResponse>")


async def test_given_a_handler_that_fails_unexpectedly_then_500_internal_error_xml(sandbox, mws):
    from app.sandbox.mws.sections import Section

    def broken(call):
        raise RuntimeError("bug")

    sandbox.add_section(Section("Broken", "/Broken/2000-01-01", "2000-01-01", "urn:broken", {"Boom": broken}))
    response = await mws.call("/Broken/2000-01-01", "Boom", Version="2000-01-01")
    assert (response.status_code, error_code(response)) == (500, "InternalError")
