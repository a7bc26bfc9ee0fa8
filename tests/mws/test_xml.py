"""The XML parser: every Amazon sample, the two broken ones, hostile documents, keys, lists, types."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from lxml import etree

from app.mws.errors import MalformedResponse
from app.mws.operations import Shape, operation
from app.mws.xml import local, lower_camel, parse_document, parse_error, parse_result, to_data

from tests.conftest import SAMPLES, require_shared

from .builders import ORDERS_NS, error_body, list_orders

NOT_WELL_FORMED = {"orders_GetOrder_response.xml", "orders_ListOrders_response.xml"}


def _samples() -> list[Path]:
    return sorted(SAMPLES.rglob("*.xml")) if SAMPLES.exists() else []


def _operation_of(path: Path):
    """orders_ListOrdersResponse.xml / orders_ListOrders_response.xml → the Orders ListOrders operation."""
    section, _, rest = path.stem.partition("_")
    name = re.sub(r"_?[Rr]esponse$", "", rest)
    try:
        return operation(name, section.capitalize())
    except KeyError:
        return None


def _values(data: Any, key: str) -> Iterator[Any]:
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield v
            yield from _values(v, key)
    elif isinstance(data, list):
        for item in data:
            yield from _values(item, key)


def _keys(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield k
            yield from _keys(v)
    elif isinstance(data, list):
        for item in data:
            yield from _keys(item)


def _check_shape(root: etree._Element, data: dict, shape: Shape) -> None:
    assert all(k[:1].islower() for k in _keys(data)), "every key is lowerCamelCase"
    for wrapper, item in shape.lists.items():
        in_xml = [c for c in root.iter() if isinstance(c.tag, str) and local(c) == item
                  and local(c.getparent()) == wrapper]
        found = list(_values(data, lower_camel(wrapper)))
        assert all(isinstance(v, list) for v in found), f"{wrapper} is always a list"
        assert sum(len(v) for v in found) == len(in_xml)
    for name in shape.integers:
        for v in _values(data, lower_camel(name)):
            assert isinstance(v, int), f"{name} is an integer"
    for el in root.iter():
        if isinstance(el.tag, str) and shape.is_boolean(local(el)) and (el.text or "").strip() in ("true", "false"):
            assert all(isinstance(v, bool) for v in _values(data, lower_camel(local(el))))


@pytest.mark.parametrize("path", _samples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_given_an_amazon_sample_when_parsed_then_it_is_shaped_by_the_model_or_refused_if_broken(path: Path):
    require_shared(path)
    body = path.read_bytes()
    if path.name in NOT_WELL_FORMED:
        with pytest.raises(MalformedResponse, match="not well-formed"):
            parse_document(body)
        return
    root = parse_document(body)
    written_id = re.search(rb"<RequestI[dD]>([^<]*)</RequestI[dD]>", body)
    if local(root) == "ErrorResponse":
        info = parse_error(body)
        assert info is not None and info.code and info.message
        assert info.request_id == written_id.group(1).decode()
        return
    op = _operation_of(path)
    if op is not None and op.result and any(local(c) == op.result for c in root):
        data, request_id = parse_result(body, op.result, op.shape, op.result_lists)
        _check_shape(root, data, op.shape)
        assert request_id == (written_id.group(1).decode() if written_id else None)
    else:
        # Pings, feed envelopes, processing reports, RequestReport: generic conversion still works.
        data = to_data(root, Shape())
        assert isinstance(data, dict) and all(k[:1].islower() for k in _keys(data))


def test_given_the_samples_folder_then_it_holds_the_expected_files():
    require_shared(SAMPLES)
    names = {p.name for p in _samples()}
    assert NOT_WELL_FORMED <= names and len(names) >= 30


def test_given_the_broken_doc_samples_when_refused_then_the_message_says_why():
    path = require_shared(SAMPLES / "official-docs" / "orders_ListOrders_response.xml")
    with pytest.raises(MalformedResponse) as info:
        parse_result(path.read_bytes(), "ListOrdersResult", operation("ListOrders").shape)
    assert "not well-formed" in info.value.message and "URI" in info.value.message
    assert info.value.retriable is True


def test_given_the_doc_list_order_items_sample_then_types_keys_and_lists_are_as_documented():
    path = require_shared(SAMPLES / "official-docs" / "orders_ListOrderItems_response.xml")
    data, request_id = parse_result(path.read_bytes(), "ListOrderItemsResult", operation("ListOrderItems").shape)
    first, second = data["orderItems"]
    assert request_id == "88faca76-b600-46d2-b53c-0c8c4533e43a"
    assert first["asin"] == "BT0093TELA" and first["sellerSKU"] == "CBA_OTF_1"
    assert first["quantityOrdered"] == 1 and first["pointsGranted"]["pointsNumber"] == 10
    assert first["isGift"] is False and first["isTransparency"] is True
    assert first["codFee"] == {"currencyCode": "JPY", "amount": "10.00"}
    assert first["scheduledDeliveryEndDate"] == "2013-09-09T01:30:00.000-06:00"  # whitespace trimmed
    assert second["promotionIds"] == ["FREESHIP"]


def test_given_the_sellers_sample_then_participations_and_marketplaces_are_lists():
    path = require_shared(SAMPLES / "official-docs" / "sellers_ListMarketplaceParticipations_response.xml")
    data, _ = parse_result(path.read_bytes(), "ListMarketplaceParticipationsResult",
                           operation("ListMarketplaceParticipations").shape)
    assert data["listParticipations"] == [
        {"marketplaceId": "ATVPDKIKX0DER", "sellerId": "A135KKEKJAIBJ56", "hasSellerSuspendedListings": "No"}]
    assert data["listMarketplaces"][0]["domainName"] == "www.amazon.com"


# -- lists ---------------------------------------------------------------------------------------

def test_given_one_order_when_parsed_then_orders_is_a_list_of_one():
    data, _ = parse_result(list_orders(["902-3159896-1390916"]).encode(), "ListOrdersResult",
                           operation("ListOrders").shape)
    assert data["orders"] == [{"amazonOrderId": "902-3159896-1390916", "orderStatus": "Shipped",
                               "isPrime": False, "numberOfItemsShipped": 1}]


def test_given_an_empty_orders_element_when_parsed_then_orders_is_an_empty_list():
    data, _ = parse_result(list_orders([]).encode(), "ListOrdersResult", operation("ListOrders").shape)
    assert data["orders"] == []
    assert data["lastUpdatedBefore"] == "2020-05-28T11:20:25.747Z"


def test_given_one_promotion_id_and_one_payment_detail_when_parsed_then_both_are_lists():
    body = (f'<GetOrderResponse xmlns="{ORDERS_NS}"><GetOrderResult><Orders><Order>'
            "<PaymentMethodDetails><PaymentMethodDetail>COD</PaymentMethodDetail></PaymentMethodDetails>"
            "</Order></Orders></GetOrderResult></GetOrderResponse>").encode()
    data, _ = parse_result(body, "GetOrderResult", operation("GetOrder").shape)
    assert data["orders"][0]["paymentMethodDetails"] == ["COD"]


def test_given_a_feed_list_with_one_or_no_submission_when_parsed_then_feed_submission_info_is_a_list():
    op = operation("GetFeedSubmissionList")
    one = (b'<GetFeedSubmissionListResponse xmlns="http://mws.amazonaws.com/doc/2009-01-01/">'
           b"<GetFeedSubmissionListResult><HasNext>false</HasNext><FeedSubmissionInfo>"
           b"<FeedSubmissionId>50000018000</FeedSubmissionId></FeedSubmissionInfo>"
           b"</GetFeedSubmissionListResult></GetFeedSubmissionListResponse>")
    data, _ = parse_result(one, op.result, op.shape, op.result_lists)
    assert data == {"hasNext": False, "feedSubmissionInfo": [{"feedSubmissionId": "50000018000"}]}
    empty = b"<R><GetFeedSubmissionListResult><HasNext>false</HasNext></GetFeedSubmissionListResult></R>"
    data, _ = parse_result(empty, op.result, op.shape, op.result_lists)
    assert data == {"hasNext": False, "feedSubmissionInfo": []}


def test_given_count_when_parsed_then_it_is_an_integer():
    op = operation("GetFeedSubmissionCount")
    data, _ = parse_result(b"<R><GetFeedSubmissionCountResult><Count>463</Count></GetFeedSubmissionCountResult></R>",
                           op.result, op.shape)
    assert data == {"count": 463}


def test_given_attributes_when_parsed_then_they_are_kept_next_to_the_value():
    el = etree.fromstring(b'<Price><StandardPrice currency="USD">9.99</StandardPrice>'
                          b'<Timestamp timestamp="2009-03-24T20:29:19Z"/></Price>')
    assert to_data(el, Shape()) == {"standardPrice": {"value": "9.99", "currency": "USD"},
                                    "timestamp": {"timestamp": "2009-03-24T20:29:19Z"}}


def test_given_no_result_element_when_parsed_then_malformed_response_names_it():
    with pytest.raises(MalformedResponse, match="ListOrdersResult"):
        parse_result(b"<ListOrdersResponse/>", "ListOrdersResult", operation("ListOrders").shape)


# -- keys ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, key",
    [
        ("AmazonOrderId", "amazonOrderId"), ("ASIN", "asin"), ("CODFee", "codFee"),
        ("SellerSKU", "sellerSKU"), ("IsPrime", "isPrime"), ("URL", "url"), ("MessageID", "messageID"),
        ("SKU", "sku"), ("CODFeeDiscount", "codFeeDiscount"), ("AddressLine1", "addressLine1"),
        ("PT1", "pt1"), ("TFMShipmentStatus", "tfmShipmentStatus"), ("ShippedByAmazonTFM", "shippedByAmazonTFM"),
        ("NextToken", "nextToken"), ("isAddressSharingConfidential", "isAddressSharingConfidential"),
        ("CustomizedURL", "customizedURL"), ("HasNext", "hasNext"), ("A", "a"),
    ],
)
def test_given_an_amazon_element_name_when_converted_then_it_follows_the_lower_camel_rule(name, key):
    assert lower_camel(name) == key


# -- hostile and broken documents ------------------------------------------------------------------

def test_given_an_xxe_payload_when_parsed_then_it_is_refused_and_no_file_is_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    payload = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
               "<ListOrdersResponse><ListOrdersResult><NextToken>&x;</NextToken></ListOrdersResult>"
               "</ListOrdersResponse>")
    for body in (payload.encode(), payload.replace('"1.0"?', '"1.0" encoding="UTF-16"?').encode("utf-16")):
        with pytest.raises(MalformedResponse) as info:
            parse_result(body, "ListOrdersResult", operation("ListOrders").shape)
        assert "DTD or entities" in info.value.message
        assert "TOP-SECRET" not in str(info.value)
        assert info.value.retriable is False


def test_given_billion_laughs_when_parsed_then_it_is_refused_quickly():
    lols = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    body = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lols}]><lolz>&lol9;</lolz>'.encode()
    with pytest.raises(MalformedResponse, match="DTD or entities"):
        parse_document(body)


def test_given_a_bare_doctype_when_parsed_then_it_is_refused():
    with pytest.raises(MalformedResponse, match="DTD"):
        parse_document(b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.com/r.dtd"><r/>')


@pytest.mark.parametrize("body", [b"", b"   ", b"<ListOrdersResponse><ListOrdersResult>", b"not xml at all",
                                  b"<a></b>"])
def test_given_a_cut_or_garbage_body_when_parsed_then_malformed_response_is_retriable(body):
    with pytest.raises(MalformedResponse) as info:
        parse_document(body)
    assert info.value.retriable is True


def test_given_a_body_over_the_limit_when_parsed_then_it_is_refused_without_parsing():
    with pytest.raises(MalformedResponse, match="exceeds") as info:
        parse_document(b"<a>" + b"x" * 100 + b"</a>", limit=50)
    assert info.value.retriable is False


# -- errors ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "body, code, type_, request_id",
    [
        (error_body("InvalidParameterValue", "CreatedAfter or LastUpdatedAfter must be specified"),
         "InvalidParameterValue", "Sender", "e26147f9-aaaa-bbbb-cccc-000000000000"),
        (error_body("RequestThrottled", "Request is throttled", type_="", ns=None, request_id_tag="RequestID"),
         "RequestThrottled", "", "e26147f9-aaaa-bbbb-cccc-000000000000"),  # an empty <Type/> stays ""
        (error_body("QuotaExceeded", "You exceeded your quota", ns="com.amazonservices.mws.orders._2013_09_01"),
         "QuotaExceeded", "Sender", "e26147f9-aaaa-bbbb-cccc-000000000000"),
    ],
)
def test_given_an_error_response_in_any_namespace_then_code_message_type_and_request_id_are_read(
        body, code, type_, request_id):
    info = parse_error(body.encode())
    assert (info.code, info.type, info.request_id) == (code, type_, request_id)
    assert info.message


@pytest.mark.parametrize("body", [b"", b"<html>502 Bad Gateway</html>", list_orders([]).encode(), b"<a"])
def test_given_something_that_is_not_an_error_response_then_parse_error_returns_none(body):
    assert parse_error(body) is None
