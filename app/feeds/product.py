"""Product message payload (Product.xsd): one product's common fields and its category's ProductData.

    <Message><MessageID>1</MessageID><OperationType>Update</OperationType>
      <Product><SKU>..</SKU><StandardProductID><Type>EAN</Type><Value>..</Value></StandardProductID>
        ...<DescriptionData><Title>..</Title>...</DescriptionData>
        <ProductData><Toys><ProductType><ToysAndGames/></ProductType>...</Toys></ProductData></Product>

Input keys are Amazon's element names. JSON maps to XML as: object -> child elements, array ->
the element repeated, {"value": 2.5, "unitOfMeasure": "KG"} -> <X unitOfMeasure="KG">2.5</X>.
With the XSD model (MWS_XSD_DIR) every level is written in the XSD's element order and attributes
are known by name; without it the Product's children follow the order below and ProductData is
passed through in the order given. A Delete carries only the SKU (all Product.xsd requires).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from lxml import etree

from app.runtime.errors import InputProblem
from app.runtime.validation import join_path

from .elements import SubElement, datetime_text, decimal_text, text
from .xsd_model import ElementType, XsdModel

MESSAGE_TYPE = "Product"
FEED_TYPE = "_POST_PRODUCT_DATA_"  # SubmitFeed FeedType
FIELDS: dict[str, str] = {}  # input keys are the XSD's names; paths map one to one (see product_steps)

OPERATIONS = ("Update", "Delete", "PartialUpdate")

# The contract's category table: value (the XSD's name) -> (label, the element ProductData holds).
CATEGORIES: dict[str, tuple[str, str]] = {
    "AutoAccessory": ("Auto Accessories", "AutoAccessory"),
    "Beauty": ("Beauty", "Beauty"),
    "Books": ("Books", "Books"),
    "CameraPhoto": ("Camera & Photo", "CameraPhoto"),
    "Wireless": ("Cell Phones & Accessories (Wireless)", "Wireless"),
    "ClothingAccessories": ("Clothing Accessories & Luggage", "ClothingAccessories"),
    "Computers": ("Computers", "Computers"),
    "CE": ("Consumer Electronics", "CE"),
    "EntertainmentCollectibles": ("Entertainment Collectibles", "EntertainmentCollectibles"),
    "Gourmet": ("Grocery & Gourmet Food", "Gourmet"),
    "Health": ("Health", "Health"),
    "HomeImprovement": ("Home Improvement", "HomeImprovement"),
    "LabSupplies": ("Industrial & Scientific: Lab & Scientific Supplies", "LabSupplies"),
    "PowerTransmission": ("Industrial & Scientific: Power Transmission", "PowerTransmission"),
    "RawMaterials": ("Industrial & Scientific: Raw Materials", "RawMaterials"),
    "Jewelry": ("Jewelry", "Jewelry"),
    "Lighting": ("Lighting", "Lighting"),
    "Miscellaneous": ("Miscellaneous", "Miscellaneous"),
    "MusicalInstruments": ("Musical Instruments", "MusicalInstruments"),
    "Music": ("Music", "Music"),
    "Office": ("Office", "Office"),
    "Outdoors": ("Outdoors", "Outdoors"),
    "PetSupplies": ("Pet Supplies", "PetSupplies"),
    "Shoes": ("Shoes Handbags and Sunglasses", "Shoes"),
    "SWVG": ("Software and Video Games", "SoftwareVideoGames"),
    "Sports": ("Sports", "Sports"),
    "SportsMemorabilia": ("Sports Collectibles", "SportsMemorabilia"),
    "TiresAndWheels": ("Tires & Wheels", "TiresAndWheels"),
    "Tools": ("Tools", "Tools"),
    "Toys": ("Toys & Games", "Toys"),
}
CATEGORY_ELEMENTS = frozenset(element for _, element in CATEGORIES.values())

# Product.xsd's sequence, for building without the XSD model (the static schema names these keys).
PRODUCT_ORDER = (
    "SKU", "StandardProductID", "GtinExemptionReason", "RelatedProductID", "ProductTaxCode", "LaunchDate",
    "DiscontinueDate", "ReleaseDate", "ExternalProductUrl", "OffAmazonChannel", "OnAmazonChannel",
    "Condition", "Rebate", "ItemPackageQuantity", "NumberOfItems", "LiquidVolume", "DescriptionData",
    "PromoTag", "DiscoveryData", "ProductData", "ShippedByFreight", "EnhancedImageURL",
    "Amazon-Vendor-Only", "Amazon-Only", "RegisteredParameter",
)
DESCRIPTION_ORDER = (
    "Title", "Brand", "Designer", "Description", "BulletPoint", "ItemDimensions", "PackageDimensions",
    "PackageWeight", "ShippingWeight", "MerchantCatalogNumber", "MSRP", "MSRPWithTax", "MaxOrderQuantity",
    "SerialNumberRequired", "Prop65", "CPSIAWarning", "CPSIAWarningDescription", "LegalDisclaimer",
    "Manufacturer", "MfrPartNumber", "SearchTerms", "PlatinumKeywords", "Memorabilia", "Autographed",
    "UsedFor", "ItemType", "OtherItemAttributes", "TargetAudience", "SubjectContent",
    "IsGiftWrapAvailable", "IsGiftMessageAvailable", "PromotionKeywords", "IsDiscontinuedByManufacturer",
    "DeliveryScheduleGroupID", "DeliveryChannel", "PurchasingChannel", "MaxAggregateShipQuantity",
    "IsCustomizable", "CustomizableTemplateName", "RecommendedBrowseNode", "MerchantShippingGroupName",
    "FEDAS_ID", "TSDAgeWarning", "TSDWarning", "TSDLanguage", "OptionalPaymentTypeExclusion",
    "DistributionDesignation",
)
_STATIC_ORDER = {"Product": PRODUCT_ORDER, "DescriptionData": DESCRIPTION_ORDER}
_DATE_TIMES = {"LaunchDate", "DiscontinueDate", "ReleaseDate"}
NOT_ELEMENTS = frozenset({"category"})  # message keys that choose, rather than fill, an element


# An element or attribute name of Amazon's XSDs: an XML NCName in ASCII (no `:`, no `{ns}` form).
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
NAME_MESSAGE = "is not an XML element name: letters, digits, '_', '-' and '.', not starting with a digit or '-'"


def name_problems(message: Any, base: str) -> Iterator[InputProblem]:
    """Every key of a product message (at any depth) that cannot be written as an element or
    attribute name, at its own path (`msg.body.ProductData["1abc"]`): lxml would refuse it mid-build."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(message, ())]
    while stack:
        value, parts = stack.pop()
        if isinstance(value, list):
            stack.extend((item, parts + (i,)) for i, item in reversed(list(enumerate(value))))
        elif isinstance(value, dict):
            for key in reversed(list(value)):
                if not parts and key in NOT_ELEMENTS:
                    continue
                if not _XML_NAME.match(key):
                    yield InputProblem(join_path(base, parts + (key,)), NAME_MESSAGE)
                else:
                    stack.append((value[key], parts + (key,)))


@dataclass(frozen=True)
class ProductMessage:
    """One input product with what the step's cfg (or the message) decided about it."""

    fields: dict[str, Any]
    operation: str                 # Update | Delete | PartialUpdate
    category: str | None           # a CATEGORIES value
    model: XsdModel | None = None  # the XSD model when MWS_XSD_DIR is set


def operation(message: ProductMessage) -> str:
    return message.operation


def payload(message_element: etree._Element, message: ProductMessage) -> None:
    fields = message.fields
    if message.operation == "Delete":
        fields = {"SKU": fields.get("SKU")}
    _Writer(message.model, message.category).write(message_element, "Product", fields, "Product")


class _Writer:
    def __init__(self, model: XsdModel | None, category: str | None) -> None:
        self.model = model
        self.category_element = CATEGORIES[category][1] if category in CATEGORIES else category

    def write(self, parent: etree._Element, tag: str, value: Any, where: str,
              etype: ElementType | None = None) -> None:
        """Append `tag` holding `value`; `where` names the level for the static order."""
        if etype is None and self.model is not None and where == "Product":
            etype = self.model.element("Product").type
        if isinstance(value, list):
            for item in value:
                self.write(parent, tag, item, where, etype)
            return
        element = SubElement(parent, tag)
        if not isinstance(value, dict):
            element.text = self._text(value, etype, tag)
        elif (etype.content is None) if etype is not None else "value" in value:
            for key, attribute in value.items():  # a value with attributes: unitOfMeasure, currency
                if key != "value" and attribute is not None:
                    element.set(key, text(attribute))
            element.text = self._text(value.get("value"), etype, tag)
        else:
            self._children(element, value, where, etype)

    def _children(self, element: etree._Element, value: dict, where: str, etype: ElementType | None) -> None:
        for key in self._ordered(value, where, etype):
            item = value[key]
            if item is None or key in NOT_ELEMENTS and where == "Product":
                continue
            if etype is not None and key in etype.attribute_names:
                element.set(key, text(item))
            elif key == "ProductData" and where == "Product":
                data = SubElement(element, "ProductData")
                category = self.category_element
                category_type = self.model.element(category).type if self.model and category in self.model.elements else None
                self.write(data, category or "ProductData", item, category or "", category_type)
            else:
                child = etype.children.get(key) if etype is not None else None
                self.write(element, key, item, key, child[0].type if child else None)

    def _ordered(self, value: dict, where: str, etype: ElementType | None) -> list[str]:
        """Keys in the XSD's order (unknown keys last, as given: the XSD check names them)."""
        order = etype.order if etype is not None else {n: i for i, n in enumerate(_STATIC_ORDER.get(where, ()))}
        if not order:
            return list(value)  # pass-through: the order given
        last = len(order)
        return sorted(value, key=lambda key: order.get(key, last))  # sorted() is stable

    def _text(self, value: Any, etype: ElementType | None, tag: str) -> str:
        builtin = None
        if etype is not None and etype.simple is not None and self.model is not None:
            builtin = self.model.builtin_of(etype.simple)
        elif etype is None and tag in _DATE_TIMES:
            builtin = "dateTime"
        if builtin == "dateTime" and isinstance(value, str):
            return datetime_text(value)
        if builtin == "decimal" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return decimal_text(value)
        return text(value)
