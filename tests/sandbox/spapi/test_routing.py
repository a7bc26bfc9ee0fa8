"""What every SP-API answer carries, unknown paths and methods, bodies that are not JSON, admin state."""
from __future__ import annotations

from .helpers import API, FEEDS, ORDERS, error


async def test_given_an_unknown_path_or_method_then_404_or_405_in_the_errors_shape_with_a_request_id(sp):
    missing = await sp.get(f"{API}/orders/v0/orders")
    assert error(missing) == (404, "NotFound") and missing.headers["x-amzn-requestid"]
    wrong = await sp.delete(ORDERS)
    assert wrong.status_code == 405 and set(wrong.json()["errors"][0]) == {"code", "message", "details"}


async def test_given_a_body_that_is_not_json_then_415_or_400(sp, web):
    token = await sp.token()
    form = await web.post(f"{FEEDS}/documents", content=b"contentType=text/plain",
                          headers={"x-amz-access-token": token, "content-type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415
    broken = await web.post(f"{FEEDS}/documents", content=b"{nope",
                            headers={"x-amz-access-token": token, "content-type": "application/json"})
    assert error(broken) == (400, "InvalidInput")


async def test_given_sp_api_feeds_then_the_admin_state_lists_them_beside_the_mws_ones(sp, web):
    feed_id = await sp.submit(b"{}", "JSON_LISTINGS_FEED")
    state = (await web.get("/sandbox/admin/state")).json()
    assert [f["feedId"] for f in state["spApi"]["feeds"]] == [feed_id]
    assert state["spApi"]["feeds"][0]["processingStatus"] == "IN_QUEUE"
    assert {u["operation"] for u in state["spApi"]["usage"]} == {"createFeedDocument", "createFeed"}
