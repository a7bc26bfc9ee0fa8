"""422 messages a person reads: the rule or the shape in words, never a regular expression (issue 15)."""
from __future__ import annotations


async def test_given_quantity_and_available_together_when_executed_then_the_rule_in_words(make_service):
    svc = await make_service(order_every=10**9)
    response = await svc.post_action("submitInventory", {"SKU": "A", "Quantity": 1, "Available": True})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"path": "msg.body.Quantity", "message": "give Quantity or Available, not both"}]


async def test_given_a_malformed_order_id_when_executed_then_the_shape_in_words(make_service):
    svc = await make_service(order_every=10**9)
    response = await svc.post_action("getOrder", {"amazonOrderIds": ["12-3"]})
    [problem] = response.json()["detail"]
    assert problem["message"].endswith("must be 3-7-7 digits, e.g. 114-3808039-1650643")


async def test_given_an_mws_auth_token_the_seller_never_granted_when_verified_then_access_denied_with_a_hint(
        make_service):
    svc = await make_service(order_every=10**9)
    response = await svc.client.post("/verify-credentials", json={"cfg": {
        **svc.cfg, "mwsAuthToken": "amzn.mws.00000000-0000-0000-0000-000000000000"}})
    body = response.json()
    assert body["verified"] is False
    assert body["reason"].startswith("Access to Sellers.ListMarketplaceParticipations is denied")
    assert body["reason"].endswith("Check the Seller ID and the MWS Auth Token: the token must be the one this "
                                   "seller granted your developer ID.")
