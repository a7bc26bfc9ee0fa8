"""The wire facts as data (app/model/mws/*.json): operations and error classes."""
from __future__ import annotations

import pytest

from app.mws import errors
from app.mws.operations import error_class_name, operation, operations

EXPECTED = {
    "Orders": {"ListOrders", "ListOrdersByNextToken", "GetOrder", "ListOrderItems", "ListOrderItemsByNextToken",
               "GetServiceStatus"},
    "Sellers": {"ListMarketplaceParticipations", "ListMarketplaceParticipationsByNextToken", "GetServiceStatus"},
    "Feeds": {"SubmitFeed", "GetFeedSubmissionList", "GetFeedSubmissionListByNextToken", "GetFeedSubmissionCount",
              "CancelFeedSubmissions", "GetFeedSubmissionResult"},
    "Reports": {"RequestReport", "GetReportRequestList", "GetReportRequestListByNextToken", "GetReportRequestCount",
                "CancelReportRequests", "GetReportList", "GetReportListByNextToken", "GetReportCount", "GetReport"},
}


def test_given_the_model_then_every_operation_of_each_section_is_there_with_its_path_and_version():
    found: dict[str, set[str]] = {}
    for op in operations():
        found.setdefault(op.section, set()).add(op.name)
        assert op.path == f"/{op.section}/{op.version}"
        assert op.raw or op.result == f"{op.name}Result"
    assert found == EXPECTED


def test_given_an_operation_with_a_next_token_then_its_follow_up_exists_in_the_same_section():
    for op in operations():
        if op.next_token_operation:
            follow = operation(op.next_token_operation, op.section)
            assert follow.section == op.section and follow.next_token_operation == follow.name


def test_given_get_service_status_then_it_must_be_qualified_by_section():
    assert operation("Sellers.GetServiceStatus").path == "/Sellers/2011-07-01"
    assert operation("GetServiceStatus", "Orders").path == "/Orders/2013-09-01"
    with pytest.raises(KeyError, match="qualify"):
        operation("GetServiceStatus")


def test_given_the_feed_result_then_it_is_raw_and_submit_feed_sends_its_parameters_in_the_query():
    assert operation("GetFeedSubmissionResult").raw and operation("GetFeedSubmissionResult").result is None
    assert operation("SubmitFeed").body_in_query


@pytest.mark.parametrize(
    "code, status, cls",
    [
        ("RequestThrottled", 503, "Throttled"), ("QuotaExceeded", 503, "Throttled"), (None, 503, "Throttled"),
        ("InternalError", 500, "ServerError"), (None, 500, "ServerError"), (None, 502, "ServerError"),
        ("SignatureDoesNotMatch", 403, "AuthError"), ("InvalidParameterValue", 403, "AuthError"),
        ("AccessDenied", 401, "AuthError"), ("NextTokenCorrupted", 400, "NextTokenCorrupted"),
        ("FeedProcessingResultNotReady", 400, "NotReady"), ("InvalidParameterValue", 400, "RequestError"),
        ("SomethingNew", 400, "RequestError"), (None, 404, "RequestError"),
    ],
)
def test_given_an_amazon_error_then_the_model_names_its_class(code, status, cls):
    name = error_class_name(code, status)
    assert name == cls and issubclass(getattr(errors, name), errors.MWSError)
