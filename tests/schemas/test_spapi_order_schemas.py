"""Specification of the SP-API orders out-schemas (schemas/spapi/**): the v2026-01-01 Order and OrderItem as
written in the project, held against Amazon's official model (read from ../shared, never copied here).

- Shape: walking our schemas and the model's definitions side by side, every property we name is Amazon's, at
  the same place, with the same JSON type, format, enum and required list; every property of the model is ours.
- Amazon's own examples (the 200 examples and x-amzn-api-sandbox responses of getOrder and searchOrders) fit.
- The files are sound Draft 2020-12 schemas whose refs resolve, and the metadata routes serve them inlined to an
  SP-API cfg while MWS keeps its own.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from orders_helpers import make_service  # noqa: F401  (a fixture)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.runtime.schemas import SchemaStore
from tests.conftest import PROJECT_ROOT, SHARED, require_shared

SCHEMAS = PROJECT_ROOT / "schemas"
SPAPI = SCHEMAS / "spapi"
MODEL = SHARED / "amazon-reference" / "sp-api" / "orders_2026-01-01.json"
COMMON = ["common/order.json", "common/orderItem.json", "common/money.json", "common/dateTimeRange.json",
          "common/customerAddress.json", "common/merchantAddress.json"]
OUTPUTS = ["triggers/getNewAndUpdatedOrders.out.json", "actions/getOrder.out.json",
           "actions/getOrder.individual.out.json", "actions/listOrderItems.out.json"]
FILES = COMMON + OUTPUTS  # the orders' files under schemas/spapi (the product actions' live there too)
ORDER_ID = re.compile(r"^[0-9]{3}-[0-9]{7}-[0-9]{7}$")
SPAPI_CFG = {"refreshToken": "Atzr|x", "lwaClientId": "c", "lwaClientSecret": "s", "sellerId": "A1SANDBOXSELLER",
             "marketplaceId": "ATVPDKIKX0DER"}
MWS_CFG = {"sellerId": "A1SANDBOXSELLER", "marketplaceId": "ATVPDKIKX0DER", "accessKeyId": "A", "secretAccessKey": "K"}
SWAGGER_TYPES = {"string", "integer", "number", "boolean", "array", "object"}


def _retrieve(uri: str) -> Resource:
    if not uri.startswith("file://"):
        raise LookupError(uri)
    return Resource.from_contents(json.loads(Path(uri[len("file://"):]).read_text()),
                                  default_specification=DRAFT202012)


REGISTRY = Registry(retrieve=_retrieve)


def load(rel: str) -> dict[str, Any]:
    return json.loads((SPAPI / rel).read_text())


def validator(rel: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": (SPAPI / rel).as_uri()}, registry=REGISTRY,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(rel: str, instance: Any) -> list[ValidationError]:
    return list(validator(rel).iter_errors(instance))


def where(found: list[ValidationError]) -> list[tuple[list, str]]:
    return [(list(e.absolute_path), e.validator) for e in found]


def walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, path + (k,))
    elif isinstance(node, list):
        for n, v in enumerate(node):
            yield from walk(v, path + (n,))


@pytest.fixture(scope="module")
def model() -> dict[str, Any]:
    return json.loads(require_shared(MODEL).read_text())


# --- side by side with the model ----------------------------------------------------------------------------

class Pair:
    """Our schema and the model's definitions walked together; what differs is noted with its path."""

    def __init__(self, model: dict[str, Any]) -> None:
        self.definitions = model["definitions"]
        self.problems: list[tuple[str, str]] = []   # (kind, "path: detail")
        self.mapped: dict[str, set[str]] = {}       # our "file#pointer" -> the model definitions it describes

    def theirs(self, node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        name = None
        while "$ref" in node:  # Swagger 2: a $ref replaces its siblings
            name = node["$ref"].split("/")[-1]
            node = self.definitions[name]
        return node, name

    @staticmethod
    def ours(node: dict[str, Any], base: str) -> tuple[dict[str, Any], str, str | None]:
        """Our node with its $refs followed, the file it ends in, and where that is ("money.json#")."""
        place = None
        while isinstance(node.get("$ref"), str):
            target = urljoin(base, node["$ref"])
            node = REGISTRY.resolver(base_uri=base).lookup(node["$ref"]).contents
            base, _, pointer = target.partition("#")
            place = f"{base.rsplit('/', 1)[1]}#{pointer}"
        return node, base, place

    def note(self, kind: str, path: str, detail: str) -> None:
        self.problems.append((kind, f"{path}: {detail}"))

    def compare(self, ours: dict[str, Any], base: str, theirs: dict[str, Any], path: str) -> None:
        ours, base, our_place = self.ours(ours, base)
        theirs, name = self.theirs(theirs)
        if our_place and name:
            self.mapped.setdefault(our_place, set()).add(name)
        if ours.get("type") != theirs.get("type"):
            self.note("type", path, f"ours {ours.get('type')!r}, Amazon's {theirs.get('type')!r}")
        if ours.get("format") != theirs.get("format"):
            self.note("format", path, f"ours {ours.get('format')!r}, Amazon's {theirs.get('format')!r}")
        if ours.get("enum") != theirs.get("enum"):
            self.note("enum", path, f"ours {ours.get('enum')}, Amazon's {theirs.get('enum')}")
        if sorted(ours.get("required", [])) != sorted(theirs.get("required", [])):
            self.note("required", path, f"ours {ours.get('required')}, Amazon's {theirs.get('required')}")
        if ours.get("additionalProperties", True) is not True and "additionalProperties" not in theirs:
            self.note("closed", path, "ours refuses fields Amazon may add")
        if theirs.get("type") == "array":
            self.compare(ours.get("items", {}), base, theirs.get("items", {}), path + "[]")
        our_props, their_props = ours.get("properties", {}), theirs.get("properties", {})
        for key in our_props:
            if key not in their_props:
                self.note("extra", f"{path}.{key}", "not in Amazon's model")
        for key in their_props:
            if key not in our_props:
                self.note("missing", f"{path}.{key}", "Amazon's model has it, ours does not")
            else:
                self.compare(our_props[key], base, their_props[key], f"{path}.{key}")


def paired(model: dict[str, Any], rel: str, definition: str) -> Pair:
    pair = Pair(model)
    pair.compare(load(rel), (SPAPI / rel).as_uri(), {"$ref": f"#/definitions/{definition}"}, definition)
    return pair


@pytest.fixture(scope="module")
def order_pair(model) -> Pair:
    return paired(model, "common/order.json", "Order")


def test_given_the_model_when_read_then_every_type_in_order_and_item_is_a_swagger_json_type(model):
    # the comparison below relies on the model giving a plain type everywhere it reaches
    pair = Pair(model)
    seen: set[str] = set()

    def reach(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
        node, name = pair.theirs(node)
        if name is not None:
            if name in seen:
                return
            seen.add(name)
        yield node
        for child in [*node.get("properties", {}).values(), *([node["items"]] if "items" in node else [])]:
            yield from reach(child)

    types = {n.get("type") for n in reach({"$ref": "#/definitions/Order"})}
    assert types <= SWAGGER_TYPES


def test_given_our_order_when_walked_beside_amazons_then_every_property_we_name_is_amazons_with_its_type(order_pair):
    wrong = [p for kind, p in order_pair.problems if kind in ("extra", "type", "format")]
    assert wrong == []


def test_given_amazons_order_when_walked_beside_ours_then_no_property_of_it_is_missing_from_ours(order_pair):
    assert [p for kind, p in order_pair.problems if kind == "missing"] == []


def test_given_both_when_walked_then_enums_and_required_lists_are_amazons_and_no_object_is_closed(order_pair):
    assert [(kind, p) for kind, p in order_pair.problems if kind in ("enum", "required", "closed")] == []


def test_given_our_order_item_alone_when_walked_beside_amazons_then_they_agree_entirely(model):
    assert paired(model, "common/orderItem.json", "OrderItem").problems == []


def test_given_the_walk_when_done_then_each_of_our_definitions_describes_one_model_definition(order_pair):
    # every $defs entry and every common file is reached, and each stands for exactly one of Amazon's definitions
    defined = {f"{Path(rel).name}#/$defs/{name}" for rel in FILES if rel.startswith("common/")
               for name in load(rel).get("$defs", {})}
    defined |= {f"{Path(rel).name}#" for rel in FILES if rel.startswith("common/") and rel != "common/order.json"}
    assert defined - set(order_pair.mapped) == set()
    assert {place: names for place, names in order_pair.mapped.items() if len(names) != 1} == {}
    assert order_pair.mapped["money.json#"] == {"Money"}
    assert order_pair.mapped["orderItem.json#"] == {"OrderItem"}
    assert order_pair.mapped["order.json#/$defs/fulfillmentStatus"] == {"FulfillmentStatus"}


@pytest.mark.parametrize("rel,path", [
    ("triggers/getNewAndUpdatedOrders.out.json", ("anyOf", 0)),
    ("triggers/getNewAndUpdatedOrders.out.json", ("anyOf", 1, "properties", "orders", "items")),
    ("actions/getOrder.out.json", ("properties", "orders", "items")),
    ("actions/getOrder.individual.out.json", ("anyOf", 0)),
    ("actions/listOrderItems.out.json", ("properties", "orderItems", "items")),
])
def test_given_a_step_output_when_its_record_ref_is_followed_then_it_is_our_order_or_item(rel, path):
    node: Any = load(rel)
    for step in path:
        node = node[step]
    resolved = REGISTRY.resolver(base_uri=(SPAPI / rel).as_uri()).lookup(node["$ref"])
    target = "common/orderItem.json" if "orderItems" in path else "common/order.json"
    assert resolved.contents == load(target)


# --- Amazon's examples --------------------------------------------------------------------------------------

def example_orders(model: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every Order in the 200 answers' examples and sandbox responses of getOrder and searchOrders."""
    found = []
    for methods in model["paths"].values():
        operation = methods["get"]
        answer = operation["responses"]["200"]
        bodies = [("examples", answer.get("examples", {}).get("application/json"))]
        bodies += [(f"sandbox {n}", case["response"])
                   for n, case in enumerate(answer.get("x-amzn-api-sandbox", {}).get("static", []))]
        for label, body in bodies:
            if body is None:
                continue
            orders = body["orders"] if operation["operationId"] == "searchOrders" else [body["order"]]
            found += [(f"{operation['operationId']} {label} #{n}", order) for n, order in enumerate(orders)]
    return found


def test_given_the_model_when_its_examples_are_gathered_then_both_operations_give_several_orders(model):
    labels = [label for label, _ in example_orders(model)]
    assert any(label.startswith("getOrder examples") for label in labels)
    assert any(label.startswith("getOrder sandbox") for label in labels)
    assert any(label.startswith("searchOrders examples") for label in labels)
    assert any(label.startswith("searchOrders sandbox") for label in labels)


def test_given_amazons_example_orders_when_validated_then_each_fits_our_order(model):
    bad = {label: [(list(e.absolute_path), e.message[:120]) for e in errors("common/order.json", order)]
           for label, order in example_orders(model)}
    assert {label: found for label, found in bad.items() if found} == {}


def test_given_the_examples_amazon_puts_on_definitions_when_validated_then_our_matching_part_accepts_them(
        model, order_pair):
    by_definition = {name: place for place, names in order_pair.mapped.items() for name in names}
    examples = {name: d["example"] for name, d in model["definitions"].items() if "example" in d}
    assert examples and set(examples) <= set(by_definition)
    for name, example in examples.items():
        file_name, _, pointer = by_definition[name].partition("#")
        schema = {"$ref": f"{(SPAPI / 'common' / file_name).as_uri()}#{pointer}"}
        found = list(Draft202012Validator(schema, registry=REGISTRY).iter_errors(example))
        assert [e.message for e in found] == [], name


def test_given_amazons_example_orders_when_wrapped_as_each_step_emits_them_then_the_step_schemas_accept_them(model):
    orders = [order for _, order in example_orders(model)]
    assert not errors("actions/getOrder.out.json", {"orders": orders, "notFound": ["999-0000000-0000000"]})
    assert not errors("triggers/getNewAndUpdatedOrders.out.json", {"orders": orders})
    for order in orders:
        assert not errors("triggers/getNewAndUpdatedOrders.out.json", order)
        assert not errors("actions/getOrder.individual.out.json", order)
        assert not errors("actions/listOrderItems.out.json",
                          {"amazonOrderId": order["orderId"], "orderItems": order["orderItems"]})


def test_given_amazons_example_orders_when_their_ids_are_read_then_v2026_keeps_the_3_7_7_form(model):
    # the model types orderId as a plain string; the shared in-schemas' 3-7-7 pattern holds for its examples
    ids = [order["orderId"] for _, order in example_orders(model)]
    ids += [o["orderId"] for _, order in example_orders(model) for o in order.get("associatedOrders", [])]
    assert ids and [i for i in ids if not ORDER_ID.match(i)] == []


# --- hand-made orders ---------------------------------------------------------------------------------------

ITEM = {
    "orderItemId": "11122233344455",
    "quantityOrdered": 2,
    "measurement": {"unit": "KILOGRAMS", "value": 1.5},
    "product": {"asin": "B000TEST01", "sellerSku": "SKU-1", "price": {"unitPrice": {"amount": "9.50",
                                                                                     "currencyCode": "USD"}}},
    "proceeds": {"proceedsTotal": {"amount": "19.00", "currencyCode": "USD"},
                 "breakdowns": [{"type": "ITEM", "subtotal": {"amount": "19.00", "currencyCode": "USD"}}]},
    "fulfillment": {"quantityFulfilled": 0, "quantityUnfulfilled": 2,
                    "shipping": {"shippingConstraints": {"signatureConfirmation": "MANDATORY"}}},
}
ORDER = {
    "orderId": "902-3159896-1390916",
    "createdTime": "2026-01-15T09:30:00Z",
    "lastUpdatedTime": "2026-01-15T10:00:00Z",
    "salesChannel": {"channelName": "AMAZON", "marketplaceId": "ATVPDKIKX0DER"},
    "proceeds": {"grandTotal": {"amount": "19.00", "currencyCode": "USD"}},
    "fulfillment": {"fulfillmentStatus": "UNSHIPPED", "fulfilledBy": "MERCHANT"},
    "orderItems": [ITEM],
    "packages": [{"packageReferenceId": "1", "packageStatus": {"status": "PENDING"},
                  "packageItems": [{"orderItemId": "11122233344455", "quantity": 2}]}],
}


def changed(where_: tuple, value: Any) -> dict[str, Any]:
    order = copy.deepcopy(ORDER)
    node: Any = order
    for step in where_[:-1]:
        node = node[step]
    node[where_[-1]] = value
    return order


def test_given_a_hand_made_order_when_validated_then_accepted_also_with_a_field_amazon_adds_later():
    assert not errors("common/order.json", ORDER)
    assert not errors("common/order.json", {**ORDER, "someFieldAmazonAddsLater": {"x": 1}})
    assert not errors("common/order.json", changed(("orderItems", 0, "product", "newProductField"), "x"))


@pytest.mark.parametrize("where_,value,validator_", [
    (("proceeds", "grandTotal", "amount"), 19.0, "type"),                       # a number: Amazon sends a string
    (("orderItems", 0, "proceeds", "proceedsTotal", "amount"), 19, "type"),
    (("fulfillment", "fulfillmentStatus"), "Shipped", "enum"),                  # the MWS spelling
    (("fulfillment", "fulfillmentStatus"), "CANCELED", "enum"),
    (("orderItems", 0, "measurement", "unit"), "STONES", "enum"),
    (("orderItems", 0, "fulfillment", "shipping", "shippingConstraints", "signatureConfirmation"), "OPTIONAL", "enum"),
    (("packages", 0, "packageStatus", "status"), "LOST", "enum"),
    (("orderItems", 0, "quantityOrdered"), "2", "type"),
    (("packages", 0, "packageItems", 0, "quantity"), 2.5, "type"),
    (("orderItems", 0, "measurement", "value"), "1.5", "type"),
    (("createdTime",), 1768469400, "type"),
])
def test_given_an_order_with_one_wrong_value_when_validated_then_the_error_is_at_that_value(where_, value, validator_):
    assert where(errors("common/order.json", changed(where_, value))) == [(list(where_), validator_)]


@pytest.mark.parametrize("where_,missing", [
    ((), "salesChannel"), ((), "orderItems"), (("salesChannel",), "channelName"), (("fulfillment",), "fulfillmentStatus"),
    (("proceeds", "grandTotal"), "currencyCode"), (("orderItems", 0), "product"), (("orderItems", 0, "measurement"), "unit"),
])
def test_given_an_order_without_a_field_amazon_requires_when_validated_then_a_required_error_there(where_, missing):
    order = copy.deepcopy(ORDER)
    node: Any = order
    for step in where_:
        node = node[step]
    del node[missing]
    found = errors("common/order.json", order)
    assert where(found) == [(list(where_), "required")] and missing in found[0].message


def test_given_step_outputs_when_one_item_is_wrong_then_the_error_is_at_that_item():
    found = errors("actions/listOrderItems.out.json",
                   {"amazonOrderId": ORDER["orderId"], "orderItems": [ITEM, {**ITEM, "quantityOrdered": "2"}]})
    assert where(found) == [(["orderItems", 1, "quantityOrdered"], "type")]
    assert [v for _, v in where(errors("actions/getOrder.out.json", {"orders": [ORDER]}))] == ["required"]
    assert not errors("actions/getOrder.individual.out.json", {"notFound": ["114-3808039-1650643"]})
    assert errors("actions/getOrder.individual.out.json", {"notFound": [], "orders": []})
    assert errors("triggers/getNewAndUpdatedOrders.out.json", {"orders": [{"orderId": ORDER["orderId"]}]})


# --- the files ----------------------------------------------------------------------------------------------

def test_given_the_spapi_common_folder_when_listed_then_it_holds_the_order_parts_and_nothing_else():
    assert sorted(str(p.relative_to(SPAPI)) for p in (SPAPI / "common").glob("*.json")) == sorted(COMMON)


@pytest.mark.parametrize("rel", FILES)
def test_given_each_spapi_schema_file_when_checked_by_the_schema_store_then_it_is_2020_12_and_inlines_fully(rel):
    store = SchemaStore()
    store.check(SPAPI / rel)
    schema = store.load(SPAPI / rel)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    inlined = store.inline(schema, schema["$id"])
    assert "$ref" not in json.dumps(inlined)
    Draft202012Validator.check_schema(inlined)


@pytest.mark.parametrize("rel", FILES)
def test_given_each_spapi_schema_file_when_walked_then_every_property_has_a_title_and_a_description(rel):
    for path, node in walk(load(rel)):
        if path[-1:] == ("properties",) and isinstance(node, dict):
            for name, prop in node.items():
                assert prop.get("title") and prop.get("description"), f"{rel}: {'/'.join(map(str, path))}/{name}"


@pytest.mark.parametrize("rel", FILES)
def test_given_each_spapi_schema_file_when_walked_then_no_id_and_no_closed_object_but_the_not_found_message(rel):
    for path, node in walk(load(rel)):
        if isinstance(node, dict) and path[-1:] != ("properties",):
            assert "$id" not in node, f"{rel}: $id at {path}"
            if node.get("additionalProperties") is False:
                assert (rel, path) == ("actions/getOrder.individual.out.json", ("anyOf", 1))


# --- through the step API -----------------------------------------------------------------------------------

def inlined(rel: str) -> Any:
    store = SchemaStore()
    schema = store.load(SPAPI / rel)
    return store.inline(schema, schema["$id"])


def record(out: dict[str, Any]) -> dict[str, Any]:
    """The order (or order item) inside a served out-schema: one message, or the items of its list."""
    properties = out.get("properties", {})
    if "orders" in properties:
        return properties["orders"]["items"]
    if "orderItems" in properties and "orderId" not in properties:  # listOrderItems, not an SP-API Order
        return properties["orderItems"]["items"]
    return out


async def metadata(svc, kind: str, key: str, cfg: dict[str, Any] | None, view: str = "") -> dict[str, Any]:
    url = f"/{kind}/{key}/metadata" + (f"?view={view}" if view else "")
    response = await (svc.client.get(url) if cfg is None else svc.client.post(url, json={"cfg": cfg}))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("cfg,rel", [
    ({}, "actions/getOrder.out.json"),
    ({"emitBehavior": "fetchAll"}, "actions/getOrder.out.json"),
    ({"emitBehavior": "emitIndividually"}, "actions/getOrder.individual.out.json"),
])
async def test_given_an_spapi_cfg_when_posting_getorder_metadata_then_its_spapi_out_schema_is_served_inlined(
        make_service, cfg, rel):
    svc = await make_service()
    full = await metadata(svc, "actions", "getOrder", {**SPAPI_CFG, **cfg}, view="full")
    assert full["out"] == inlined(rel)
    assert full["in"] == (await metadata(svc, "actions", "getOrder", None, view="full"))["in"]  # shared input


async def test_given_an_spapi_cfg_when_posting_listorderitems_metadata_then_its_spapi_out_schema_is_served(
        make_service):
    svc = await make_service()
    full = await metadata(svc, "actions", "listOrderItems", SPAPI_CFG, view="full")
    assert full["out"] == inlined("actions/listOrderItems.out.json")
    assert full["in"] == (await metadata(svc, "actions", "listOrderItems", None, view="full"))["in"]


@pytest.mark.parametrize("emit", ["emitIndividually", "fetchPage", "fetchAll"])
async def test_given_an_spapi_cfg_when_posting_trigger_metadata_then_its_out_schema_takes_spapi_orders_only(
        make_service, emit):
    # said by what the schema accepts, so it holds whether the trigger's schema is static or built per cfg
    svc = await make_service()
    out = Draft202012Validator((await metadata(svc, "triggers", "getNewAndUpdatedOrders",
                                               {**SPAPI_CFG, "emitBehavior": emit}, view="full"))["out"])
    message = ORDER if emit == "emitIndividually" else {"orders": [ORDER, ORDER]}
    assert list(out.iter_errors(message)) == []
    mws_order = {"amazonOrderId": ORDER["orderId"], "purchaseDate": ORDER["createdTime"],
                 "lastUpdateDate": ORDER["lastUpdatedTime"], "orderStatus": "Unshipped"}
    assert list(out.iter_errors(mws_order if emit == "emitIndividually" else {"orders": [mws_order]}))


@pytest.mark.parametrize("kind,key,cfg", [
    ("actions", "getOrder", {}),
    ("actions", "getOrder", {"emitBehavior": "emitIndividually"}),
    ("triggers", "getNewAndUpdatedOrders", {}),
    ("actions", "listOrderItems", {}),
])
async def test_given_an_spapi_cfg_when_posting_metadata_then_the_builder_view_shows_spapi_records_and_get_mws_ones(
        make_service, kind, key, cfg):
    svc = await make_service()
    spapi = await metadata(svc, kind, key, {**SPAPI_CFG, **cfg})
    mws = await metadata(svc, kind, key, {**MWS_CFG, **cfg})
    got = await metadata(svc, kind, key, None)
    assert "$ref" not in json.dumps(spapi) and "$defs" not in json.dumps(spapi)
    ours, theirs = (("orderItemId", "asin") if key == "listOrderItems" else ("orderId", "amazonOrderId"))
    spapi_record, mws_record = record(spapi["out"])["properties"], record(mws["out"])["properties"]
    assert ours in spapi_record and theirs not in spapi_record
    assert theirs in mws_record and ("orderId" not in mws_record or key == "listOrderItems")
    if key == "listOrderItems":
        assert "product" in spapi_record and "product" not in mws_record
    if not cfg:
        assert got == mws  # GET keeps answering the MWS schemas


async def test_given_spapi_metadata_when_used_to_validate_amazons_examples_then_they_pass(make_service, model):
    svc = await make_service()
    out = (await metadata(svc, "actions", "getOrder", SPAPI_CFG, view="full"))["out"]
    orders = [order for _, order in example_orders(model)]
    assert list(Draft202012Validator(out).iter_errors({"orders": orders, "notFound": []})) == []
    assert list(Draft202012Validator(out).iter_errors({"orders": [{"orderId": "902-3159896-1390916"}],
                                                       "notFound": []}))
