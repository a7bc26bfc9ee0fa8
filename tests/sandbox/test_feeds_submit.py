"""SubmitFeed: POST, parameters signed in the query, the feed as the body, Content-MD5 checked."""
from __future__ import annotations

import re

import pytest

from tests.conftest import SAMPLES, require_shared

from .feeds_helpers import IMAGE, INVENTORY, US, envelope, inventory, md5
from .helpers import FEEDS_NS, error_code, text, xml

BODY = envelope(INVENTORY, inventory("SBX-ANY-001"))


def params(feed_type: str = INVENTORY) -> dict[str, str]:
    return {"FeedType": feed_type, **US}


async def test_given_a_feed_when_submitted_then_feed_submission_info_like_amazons(mws, clock):
    response = await mws.submit(BODY, params())
    assert response.status_code == 200, response.text
    doc = xml(response)
    assert doc.tag == f"{{{FEEDS_NS}}}SubmitFeedResponse"
    info = "SubmitFeedResult/FeedSubmissionInfo/"
    assert re.fullmatch(r"\d{11}", text(doc, info + "FeedSubmissionId"))
    assert text(doc, info + "FeedType") == INVENTORY
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", text(doc, info + "SubmittedDate"))
    assert text(doc, info + "FeedProcessingStatus") == "_SUBMITTED_"
    assert text(doc, "ResponseMetadata/RequestId") == response.headers["x-mws-request-id"]


async def test_given_two_feeds_then_their_ids_differ_and_increase(mws):
    ids = [text(xml(await mws.submit(BODY, params())), "SubmitFeedResult/FeedSubmissionInfo/FeedSubmissionId")
           for _ in range(2)]
    assert int(ids[1]) > int(ids[0])


async def test_given_the_root_path_with_version_2009_then_submit_feed_is_served(mws):
    assert (await mws.submit(BODY, params(), path="/")).status_code == 200


async def test_given_only_the_content_md5_header_then_it_is_accepted(mws):
    assert (await mws.submit(BODY, params(), md5=None, header_md5=md5(BODY))).status_code == 200


async def test_given_both_md5_forms_that_agree_then_it_is_accepted(mws):
    assert (await mws.submit(BODY, params(), header_md5=md5(BODY))).status_code == 200


async def test_given_md5_param_and_header_that_differ_then_400_invalid_parameter_value(mws):
    response = await mws.submit(BODY, params(), header_md5=md5(b"other"))
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_no_md5_then_400_content_md5_missing(mws):
    response = await mws.submit(BODY, params(), md5=None)
    assert (response.status_code, error_code(response)) == (400, "ContentMD5Missing")
    assert xml(response).nsmap[None] == FEEDS_NS


async def test_given_an_md5_of_other_bytes_then_400_content_md5_does_not_match(mws):
    response = await mws.submit(BODY, params(), md5=md5(BODY + b" "))
    assert (response.status_code, error_code(response)) == (400, "ContentMD5DoesNotMatch")


def test_given_the_documented_md5_vectors_then_the_sandbox_computes_them():
    from app.sandbox.mws.feeds.report import content_md5

    sample = require_shared(SAMPLES / "official-docs" / "feeds_SubmitFeed_request_body_product_feed.xml")
    assert content_md5(sample.read_bytes()) == "4+qvAGCkaKM7S+cAH9btCg=="
    assert content_md5(b"abc\tdef") == "Zj+Bh1BJ8HzBb9ToK28qFQ=="


@pytest.mark.parametrize("feed_type", [None, "_POST_NOTHING_", "_POST_FLAT_FILE_LISTINGS_DATA_"])
async def test_given_a_missing_or_unknown_feed_type_then_400_invalid_parameter_value(mws, feed_type):
    response = await mws.submit(BODY, {**US, **({"FeedType": feed_type} if feed_type else {})})
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


@pytest.mark.parametrize("feed_type", ["_POST_PRODUCT_DATA_", "_POST_INVENTORY_AVAILABILITY_DATA_",
                                       "_POST_PRODUCT_PRICING_DATA_", "_POST_PRODUCT_IMAGE_DATA_",
                                       "_POST_PRODUCT_RELATIONSHIP_DATA_", "_POST_ORDER_ACKNOWLEDGEMENT_DATA_",
                                       "_POST_ORDER_FULFILLMENT_DATA_"])
async def test_given_each_xml_feed_type_then_it_is_accepted(mws, feed_type):
    assert (await mws.submit(BODY, params(feed_type))).status_code == 200


async def test_given_an_image_feed_without_marketplace_ids_then_400(mws):
    response = await mws.submit(BODY, {"FeedType": IMAGE})
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")
    assert (await mws.submit(BODY, {"FeedType": INVENTORY})).status_code == 200


async def test_given_a_marketplace_the_seller_is_not_in_then_400(mws):
    response = await mws.submit(BODY, {"FeedType": INVENTORY, "MarketplaceIdList.Id.1": "A1F83G8C2ARO7P"})
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_submit_feed_as_a_get_then_400(mws):
    response = await mws.submit(BODY, params(), method="GET")
    assert (response.status_code, error_code(response)) == (400, "InvalidParameterValue")


async def test_given_a_feed_signed_with_the_wrong_secret_then_403(mws):
    mws.creds["secretAccessKey"] = "wrong"
    response = await mws.submit(BODY, params())
    assert (response.status_code, error_code(response)) == (403, "SignatureDoesNotMatch")


async def test_given_a_form_content_type_feed_then_its_body_is_not_taken_for_parameters(mws):
    body = b"FeedType=_POST_NOTHING_"
    response = await mws.submit(body, params(), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.text


async def test_given_a_submitted_feed_then_get_admin_state_lists_it_with_its_status(mws, http):
    feed_id = text(xml(await mws.submit(BODY, params())), "SubmitFeedResult/FeedSubmissionInfo/FeedSubmissionId")
    feeds = (await http.get("http://sandbox.test/sandbox/admin/state")).json()["feeds"]
    assert [(f["feedSubmissionId"], f["feedType"], f["feedProcessingStatus"]) for f in feeds] == \
        [(feed_id, INVENTORY, "_SUBMITTED_")]
