"""Price message payload (Price.xsd): standard, min/max allowed and sale price of one SKU.

XSD sequence (the parts the input can fill): SKU, StandardPrice?, MinimumSellerAllowedPrice?,
MaximumSellerAllowedPrice?, Sale? = (StartDate, EndDate, SalePrice). Every amount carries its
currency as an attribute; the sale dates live in <Sale>, beside the SalePrice, not inside it.
"""
from __future__ import annotations

from lxml import etree

from .elements import SubElement, add, add_amount, datetime_text

MESSAGE_TYPE = "Price"
FEED_TYPE = "_POST_PRODUCT_PRICING_DATA_"  # SubmitFeed FeedType
OPERATION = "Update"

FIELDS = {
    "SKU": "SKU",
    "StandardPrice": "StandardPrice.value",
    "StandardPrice@currency": "StandardPrice.currency",
    "MinimumSellerAllowedPrice": "MinimumSellerAllowedPrice.value",
    "MinimumSellerAllowedPrice@currency": "MinimumSellerAllowedPrice.currency",
    "MaximumSellerAllowedPrice": "MaximumSellerAllowedPrice.value",
    "MaximumSellerAllowedPrice@currency": "MaximumSellerAllowedPrice.currency",
    "Sale": "SalePrice",
    "Sale/StartDate": "SalePrice.StartDate",
    "Sale/EndDate": "SalePrice.EndDate",
    "Sale/SalePrice": "SalePrice.value",
    "Sale/SalePrice@currency": "SalePrice.currency",
}


def payload(message_element: etree._Element, message: dict) -> None:
    price = SubElement(message_element, "Price")
    add(price, "SKU", message.get("SKU"))
    for tag in ("StandardPrice", "MinimumSellerAllowedPrice", "MaximumSellerAllowedPrice"):
        if message.get(tag) is not None:
            add_amount(price, tag, message[tag])
    sale_price = message.get("SalePrice")
    if sale_price is not None:
        sale = SubElement(price, "Sale")
        add(sale, "StartDate", datetime_text(sale_price.get("StartDate")))
        add(sale, "EndDate", datetime_text(sale_price.get("EndDate")))
        add_amount(sale, "SalePrice", sale_price)
