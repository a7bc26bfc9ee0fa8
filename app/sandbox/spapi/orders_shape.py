"""The shared order state in Amazon's Orders v2026-01-01 `Order` shape (orders_2026-01-01.json).

Always present: orderId, createdTime, lastUpdatedTime, salesChannel, orderItems (each with its
product) and, when they apply, orderAliases and programs. The other blocks come only with the
`includedData` value that asks for them, as Amazon's examples show (a getOrder without FULFILLMENT
has no `fulfillment`): BUYER → buyer, RECIPIENT → recipient, PROCEEDS → proceeds (order and items),
FULFILLMENT → fulfillment (order and items), PROMOTION → item promotion, CANCELLATION → item
cancellation, PACKAGES → packages (merchant-fulfilled orders only), TAX → item tax, PAYMENT → payment.
EXPENSE (points, JP only) and FULFILLMENT_ORDERS (EasyShip only) never apply to the sandbox's
orders. Money is `{"amount": "12.34", "currencyCode"}`, amounts as decimal strings (the model's Decimal).
"""
from __future__ import annotations

from typing import Any

from app.model import load

from .params import iso
from .seams import MARKETPLACES, Order

_MODEL = load("spapi", "orders")  # the wire model the client reads too
INCLUDED_DATA = tuple(_MODEL["includedData"])
FULFILLMENT_STATUS: dict[str, str] = dict(_MODEL["fulfillmentStatuses"])
FULFILLMENT_STATUSES = tuple(FULFILLMENT_STATUS.values())
SERVICE_LEVEL = {"Standard": "STANDARD", "Expedited": "EXPEDITED", "SecondDay": "SECOND_DAY", "NextDay": "NEXT_DAY",
                 "Priority": "PRIORITY", "SameDay": "SAME_DAY", "Scheduled": "SCHEDULED"}
DAY_MS = 86_400_000


def money(cents: int, currency: str) -> dict[str, str]:
    sign = "-" if cents < 0 else ""
    return {"amount": f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}", "currencyCode": currency}


def fulfilled_by(order: Order) -> str:
    return "AMAZON" if order.fulfillment_channel == "AFN" else "MERCHANT"


def order_json(order: Order, included: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    market = MARKETPLACES.get(order.marketplace_id)
    out: dict[str, Any] = {"orderId": order.amazon_order_id}
    if order.merchant_order_id:
        out["orderAliases"] = [{"aliasId": order.merchant_order_id, "aliasType": "SELLER_ORDER_ID"}]
    out["createdTime"] = iso(order.purchase_ms)
    out["lastUpdatedTime"] = iso(order.last_update_ms)
    programs = [name for name, on in (("AMAZON_BUSINESS", order.is_business), ("PREMIUM", order.is_premium),
                                      ("PRIME", order.is_prime)) if on]
    if programs:
        out["programs"] = programs
    out["salesChannel"] = {"channelName": "AMAZON", "marketplaceId": order.marketplace_id,
                           **({"marketplaceName": market.name} if market else {})}
    if "BUYER" in included:
        buyer = {"buyerName": order.buyer_name}
        if order.fulfillment_channel == "MFN":          # the model: the email is for FBM orders only
            buyer["buyerEmail"] = order.buyer_email
        out["buyer"] = buyer
    if "RECIPIENT" in included:
        a = order.address
        address = {"name": a.name, "addressLine1": a.line1, "city": a.city, "stateOrRegion": a.state,
                   "postalCode": a.postal_code, "countryCode": a.country, "addressType": "RESIDENTIAL"}
        out["recipient"] = {"deliveryAddress": {**address, **({"phone": a.phone} if a.phone else {})}}
    if "PROCEEDS" in included:
        out["proceeds"] = _order_proceeds(order)
    if "TAX" in included and order.is_business:
        out["tax"] = {"taxInvoicing": {"buyerInvoicePreference": "BUSINESS"}}
    if "PAYMENT" in included:
        out["payment"] = {"paymentExecutions": [{"paymentMethod": order.payment_method,
                                                 "paymentAmount": money(order.total_cents, order.currency)}]}
    if "FULFILLMENT" in included:
        out["fulfillment"] = {
            "fulfillmentStatus": FULFILLMENT_STATUS[order.status], "fulfilledBy": fulfilled_by(order),
            "fulfillmentServiceLevel": SERVICE_LEVEL.get(order.category, "STANDARD"),
            "shipByWindow": {"earliestDateTime": iso(order.purchase_ms),
                             "latestDateTime": iso(order.purchase_ms + 2 * DAY_MS)}}
    out["orderItems"] = [_item(order, n, included) for n in range(len(order.items))]
    if "PACKAGES" in included and order.fulfillment_channel == "MFN" and order.shipped:
        out["packages"] = [_package(order)]
    return out


def _order_proceeds(order: Order) -> dict[str, Any]:
    c = order.currency
    parts = [("ITEM", sum(i.price_cents for i in order.items)), ("SHIPPING", sum(i.shipping_cents for i in order.items)),
             ("TAX", sum(i.tax_cents for i in order.items)), ("DISCOUNT", -sum(i.promotion_cents for i in order.items))]
    return {"grandTotal": money(order.total_cents, c),
            "breakdowns": [{"type": t, "subtotal": money(v, c)} for t, v in parts if v or t == "ITEM"]}


def _item(order: Order, n: int, included: set[str] | frozenset[str]) -> dict[str, Any]:
    item, c = order.items[n], order.currency
    unit = item.price_cents // max(1, item.quantity_ordered)
    out: dict[str, Any] = {
        "orderItemId": item.order_item_id, "quantityOrdered": item.quantity_ordered,
        "product": {"asin": item.asin, "title": item.title, "sellerSku": item.sku,
                    "condition": {"conditionType": "NEW", "conditionSubtype": "NEW"},
                    "price": {"unitPrice": money(unit, c)}}}
    if "PROCEEDS" in included:
        parts = [("ITEM", item.price_cents), ("SHIPPING", item.shipping_cents), ("TAX", item.tax_cents),
                 ("DISCOUNT", -item.promotion_cents)]
        total = item.price_cents + item.shipping_cents + item.tax_cents - item.promotion_cents
        out["proceeds"] = {"proceedsTotal": money(total, c),
                           "breakdowns": [{"type": t, "subtotal": money(v, c)} for t, v in parts if v or t == "ITEM"]}
    if "PROMOTION" in included and item.promotion_cents:
        out["promotion"] = {"breakdowns": [{"promotionId": f"SBX-PROMO-{item.promotion_cents}"}]}
    if "CANCELLATION" in included and order.status == "Canceled":
        out["cancellation"] = {"cancellationExecution": {"cancelledBy": "SELLER" if order.acknowledged else "BUYER"}}
    if "FULFILLMENT" in included:
        unfulfilled = 0 if order.status == "Canceled" else item.quantity_ordered - item.quantity_shipped
        fulfillment: dict[str, Any] = {"quantityFulfilled": item.quantity_shipped, "quantityUnfulfilled": unfulfilled}
        if item.is_gift:
            fulfillment["packing"] = {"giftOption": {"giftWrapLevel": "STANDARD"}}
        out["fulfillment"] = fulfillment
    if "TAX" in included and order.marketplace_id == "ATVPDKIKX0DER":
        out["tax"] = {"taxCollections": [{"model": "MARKETPLACE_FACILITATOR", "responsibleParty": "AMAZON_SERVICES"}]}
    return out


def _package(order: Order) -> dict[str, Any]:
    shipped_at = iso(order.last_update_ms)
    return {"packageReferenceId": "1", "createdTime": shipped_at,
            "packageStatus": {"status": "SHIPPED"}, "carrier": "USPS", "shipTime": shipped_at,
            "shippingService": order.ship_service_level,
            "trackingNumber": "9400" + order.amazon_order_id.replace("-", "")[:18],
            "packageItems": [{"orderItemId": i.order_item_id, "quantity": i.quantity_shipped}
                             for i in order.items if i.quantity_shipped]}
