"""Fidelity of Feeds answers: every element path the sandbox emits is in Amazon's official samples
(../shared, never copied). The published processing report sample shows only DocumentTransactionID,
so report paths are also allowed where ProcessingReport.xsd declares them."""
from __future__ import annotations

import pytest
from lxml import etree

from tests.conftest import SHARED, require_shared

from .feeds_helpers import INVENTORY, envelope, inventory, run_feed, submit_id
from .helpers import FEEDS, error_code, text, xml
from .test_fidelity import DOCS, MOCKS, PARSER, allowed, assert_subset, paths

XS = "{http://www.w3.org/2001/XMLSchema}element"


def xsd_paths(name: str, prefix: str) -> set[str]:
    """Element paths declared under `name` in ProcessingReport.xsd, rooted at `prefix`."""
    xsd = require_shared(SHARED / "amazon-reference" / "xsd" / "ProcessingReport.xsd")
    top = next(e for e in etree.parse(str(xsd), PARSER).getroot() if e.tag == XS and e.get("name") == name)
    found = {prefix}

    def walk(el: etree._Element, here: str) -> None:
        for child in el.iterdescendants(XS):
            if next(a for a in child.iterancestors(XS)) is el:
                path = f"{here}/{child.get('name') or child.get('ref')}"
                found.add(path)
                walk(child, path)
    walk(top, prefix)
    return found


@pytest.fixture
def sandbox(clock, xsd_dir):
    from app.sandbox import Sandbox

    sb = Sandbox(clock=clock, wall=clock.time, xsd_dir=xsd_dir)
    for group in sb.throttle.quotas.values():
        group.update(max=1000, restorePerSecond=1000)
    return sb


async def submitted(mws, clock, n=1) -> list[str]:
    ids = []
    for _ in range(n):
        ids.append(await submit_id(mws, INVENTORY, envelope(INVENTORY, inventory("SBX-X-1"))))
        clock.advance(1)
    return ids


async def test_given_submit_feed_then_every_path_is_in_amazons_samples(mws):
    response = await mws.submit(envelope(INVENTORY, inventory("A")), {"FeedType": INVENTORY})
    assert_subset(paths(xml(response)), allowed([DOCS / "feeds_SubmitFeed_response.xml",
                                                 MOCKS / "feeds_SubmitFeedResponse.xml"]))


async def test_given_list_and_by_next_token_with_dates_of_every_stage_then_paths_are_in_amazons_samples(mws, clock):
    await submitted(mws, clock, 3)
    clock.advance(200)
    await submitted(mws, clock, 2)
    first = xml(await mws.call(FEEDS, "GetFeedSubmissionList", {"MaxCount": "3"}))
    emitted = paths(first)
    assert "GetFeedSubmissionListResponse/GetFeedSubmissionListResult/FeedSubmissionInfo/CompletedProcessingDate" \
        in emitted
    assert_subset(emitted, allowed([DOCS / "feeds_GetFeedSubmissionList_response.xml",
                                    MOCKS / "feeds_GetFeedSubmissionListResponse.xml"]))
    token = text(first, "GetFeedSubmissionListResult/NextToken")
    second = xml(await mws.call(FEEDS, "GetFeedSubmissionListByNextToken", {"NextToken": token}))
    assert_subset(paths(second), allowed([DOCS / "feeds_GetFeedSubmissionListByNextToken_response.xml",
                                          MOCKS / "feeds_GetFeedSubmissionListByNextTokenResponse.xml"]))


async def test_given_count_and_cancel_then_every_path_is_in_amazons_samples(mws, clock):
    await submitted(mws, clock, 2)
    count = xml(await mws.call(FEEDS, "GetFeedSubmissionCount"))
    assert_subset(paths(count), allowed([DOCS / "feeds_GetFeedSubmissionCount_response.xml",
                                         MOCKS / "feeds_GetFeedSubmissionCountResponse.xml"]))
    cancel = xml(await mws.call(FEEDS, "CancelFeedSubmissions"))
    assert text(cancel, "CancelFeedSubmissionsResult/Count") == "2"
    assert_subset(paths(cancel), allowed([DOCS / "feeds_CancelFeedSubmissions_response.xml",
                                          MOCKS / "feeds_CancelFeedSubmissionsResponse.xml"]))


async def test_given_a_processing_report_with_errors_then_its_paths_are_in_the_sample_or_the_report_xsd(
        mws, clock, sandbox):
    sku = sorted(sandbox.book.catalog)[0]
    report = await run_feed(mws, clock, INVENTORY, envelope(INVENTORY, inventory(sku, 1), inventory("NOPE", 1)))
    sample = DOCS / "feeds_GetFeedSubmissionResult_processing_report.xml"
    reference = allowed([sample]) | xsd_paths("ProcessingReport", "AmazonEnvelope/Message/ProcessingReport")
    emitted = paths(report)
    assert "AmazonEnvelope/Message/ProcessingReport/Result/AdditionalInfo/SKU" in emitted
    assert_subset(emitted, reference)


async def test_given_feeds_errors_then_their_paths_are_in_amazons_samples_and_namespace_is_feeds(mws):
    reference = allowed([DOCS / "devguide_ErrorResponse.xml", MOCKS / "feeds_ErrorResponse.xml"])
    for response in (await mws.call(FEEDS, "GetFeedSubmissionResult", {"FeedSubmissionId": "12345678901"}),
                     await mws.submit(b"<x/>", {"FeedType": INVENTORY}, md5=None)):
        assert response.status_code == 400 and error_code(response)
        assert xml(response).nsmap[None] == "http://mws.amazonaws.com/doc/2009-01-01/"
        assert_subset(paths(xml(response)), reference)
