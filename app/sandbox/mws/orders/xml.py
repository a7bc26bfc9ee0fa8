"""Orders 2013-09-01 data as XML: `Order` and `OrderItem` in Amazon's documented element order.

Buyer PII rules (mws-api.md §3.2/§3.3): a Pending order has no ShippingAddress, OrderTotal,
BuyerEmail or BuyerName, and its items carry no prices or taxes.
"""
from __future__ import annotations

from lxml import etree

from ...state import Order, OrderItem
from ...state.dates import DAY_MS
from .. import wire, xmlgen


def order_element(parent: etree._Element, order: Order) -> None:
    el = xmlgen.sub(parent, "Order")
    pending = order.status in ("Pending", "PendingAvailability")
    xmlgen.subs(el, [
        ("AmazonOrderId", order.amazon_order_id),
        ("PurchaseDate", xmlgen.iso_ms(order.purchase_ms)),
        ("LastUpdateDate", xmlgen.iso_ms(order.last_update_ms)),
        ("OrderStatus", order.status),
        ("FulfillmentChannel", order.fulfillment_channel),
        ("SalesChannel", wire.marketplaces()[order.marketplace_id].name),
        ("ShipServiceLevel", order.ship_service_level),
    ])
    if not pending:
        a = order.address
        address = xmlgen.sub(el, "ShippingAddress")
        xmlgen.subs(address, [("Name", a.name), ("AddressLine1", a.line1), ("City", a.city),
                              ("StateOrRegion", a.state), ("PostalCode", a.postal_code),
                              ("CountryCode", a.country), ("Phone", a.phone)])
        xmlgen.money(el, "OrderTotal", order.currency, order.total_cents)
    xmlgen.subs(el, [("NumberOfItemsShipped", order.shipped), ("NumberOfItemsUnshipped", order.unshipped),
                     ("PaymentMethod", order.payment_method)])
    details = xmlgen.sub(el, "PaymentMethodDetails")
    xmlgen.sub(details, "PaymentMethodDetail", "CreditCard")
    xmlgen.subs(el, [("IsReplacementOrder", False), ("MarketplaceId", order.marketplace_id)])
    if not pending:
        xmlgen.subs(el, [("BuyerEmail", order.buyer_email), ("BuyerName", order.buyer_name)])
    purchase = order.purchase_ms
    xmlgen.subs(el, [
        ("ShipmentServiceLevelCategory", order.category),
        ("OrderType", "StandardOrder"),
        ("EarliestShipDate", xmlgen.iso_ms(purchase + DAY_MS // 24)),
        ("LatestShipDate", xmlgen.iso_ms(purchase + 2 * DAY_MS)),
        ("EarliestDeliveryDate", xmlgen.iso_ms(purchase + 3 * DAY_MS)),
        ("LatestDeliveryDate", xmlgen.iso_ms(purchase + 7 * DAY_MS)),
        ("IsBusinessOrder", order.is_business),
        ("IsPrime", order.is_prime),
        ("IsPremiumOrder", order.is_premium),
    ])


def item_element(parent: etree._Element, order: Order, item: OrderItem) -> None:
    el = xmlgen.sub(parent, "OrderItem")
    xmlgen.subs(el, [("ASIN", item.asin), ("OrderItemId", item.order_item_id), ("SellerSKU", item.sku),
                     ("Title", item.title), ("QuantityOrdered", item.quantity_ordered),
                     ("QuantityShipped", item.quantity_shipped)])
    info = xmlgen.sub(el, "ProductInfo")
    xmlgen.sub(info, "NumberOfItems", 1)
    if order.status not in ("Pending", "PendingAvailability"):
        cur = order.currency
        xmlgen.money(el, "ItemPrice", cur, item.price_cents)
        xmlgen.money(el, "ShippingPrice", cur, item.shipping_cents)
        xmlgen.money(el, "ItemTax", cur, item.tax_cents)
        xmlgen.money(el, "ShippingTax", cur, 0)
        xmlgen.money(el, "ShippingDiscount", cur, 0)
        xmlgen.money(el, "PromotionDiscount", cur, item.promotion_cents)
        if item.promotion_cents:
            ids = xmlgen.sub(el, "PromotionIds")
            xmlgen.sub(ids, "PromotionId", "FREESHIP")
    xmlgen.subs(el, [("IsGift", item.is_gift), ("ConditionId", "New"), ("ConditionSubtypeId", "New"),
                     ("IsTransparency", False)])
