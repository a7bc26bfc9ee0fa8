"""The steps submitProduct and submitProductCategoryFromPayload: cfg choices, dynamic metadata, the
422 check and the run, on top of the feed builders (app.feeds) and the shared feed machinery
(app.steps.feeds.run_feed).

- `operation` (cfg): Update, Delete, PartialUpdate; Upsert is offered and sent as Update.
- `category`: the cfg's (submitProduct) or each message's (the FromPayload variant, which lets one
  feed mix categories): a value of the contract's category table, e.g. SWVG.
- With MWS_XSD_DIR, `get_meta_model` answers the input schema generated from the category's XSD
  (cached per process), and check() validates the built envelope against amzn-envelope.xsd, so a
  wrong field is a 422 naming it (msg.body.messages[1].ProductData.Color) and nothing is submitted.
  Without it the static schema files apply and Amazon's processing report carries any errors.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from app.backends import SPAPI, backend_name, feeds_for
from app.feeds import listings
from app.feeds.elements import parse_datetime
from app.feeds.feed import Feed, build_feed, is_single, normalize
from app.feeds.product import CATEGORIES, CATEGORY_ELEMENTS, MESSAGE_TYPE, OPERATIONS, ProductMessage, name_problems
from app.feeds.xsd_jsonschema import element_schema
from app.feeds.xsd_model import xsd_model
from app.runtime.context import StepContext
from app.runtime.errors import InputInvalid, InputProblem
from app.settings import Settings
from app.steps.feeds import check_feed_snapshot, run_feed

OPERATION_CHOICES = {
    "Update": "Update",
    "PartialUpdate": "Partial Update",
    "Delete": "Delete",
    "Upsert": "Upsert (sent as Update)",
}
DRAFT = "https://json-schema.org/draft/2020-12/schema"
_DATE_TIMES = ("LaunchDate", "DiscontinueDate", "ReleaseDate")


def operation_of(cfg: dict[str, Any]) -> str:
    value = cfg.get("operation") or "Update"
    return "Update" if value == "Upsert" else value


def select_model(field: str, cfg: dict[str, Any]) -> dict[str, str] | None:
    if field == "category":
        return {value: label for value, (label, _) in CATEGORIES.items()}
    if field == "operation":
        return dict(OPERATION_CHOICES)
    return None


# -- schemas ------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=128)
def _category_schema(xsd_dir: Path, category: str) -> dict[str, Any]:
    model = xsd_model(xsd_dir)
    element = CATEGORIES[category][1]
    return {**element_schema(model, model.element(element)), "title": f"ProductData: {CATEGORIES[category][0]}"}


@functools.lru_cache(maxsize=4)
def _common_schema(xsd_dir: Path) -> dict[str, Any]:
    """Product.xsd's Product element without ProductData (filled per category)."""
    model = xsd_model(xsd_dir)
    schema = element_schema(model, model.element("Product"))
    schema["properties"] = {k: v for k, v in schema["properties"].items() if k != "ProductData"}
    return schema


def item_schema(xsd_dir: Path, category: str | None) -> dict[str, Any]:
    """One product's schema: the category's ProductData, or (category None) a `category` per message
    choosing among all of them."""
    common = _common_schema(xsd_dir)
    properties = dict(common["properties"])
    item: dict[str, Any] = {**common, "title": "Product"}
    if category is not None:
        properties["ProductData"] = _category_schema(xsd_dir, category)
    else:
        properties["category"] = {"type": "string", "title": "Category", "enum": list(CATEGORIES)}
        properties["ProductData"] = {"type": "object", "title": "ProductData",
                                     "description": "The element of the message's category"}
        item["required"] = [*common.get("required", []), "category"]
        item["allOf"] = [
            {"if": {"properties": {"category": {"const": value}}, "required": ["category"]},
             "then": {"properties": {"ProductData": _category_schema(xsd_dir, value)}}}
            for value in CATEGORIES
        ]
    item["properties"] = properties
    return item


def input_schema(item: dict[str, Any], title: str) -> dict[str, Any]:
    """One product or {"messages": [...]}: if/then/else, as the static files, so that paths stay precise."""
    return {
        "$schema": DRAFT,
        "title": title,
        "type": "object",
        "if": {"required": ["messages"]},
        "then": {"type": "object", "required": ["messages"], "properties": {
            "messages": {"type": "array", "title": "Messages", "minItems": 1, "items": item}}},
        "else": item,
    }


def meta_model(action_key: str, cfg: dict[str, Any], xsd_dir: Path | None) -> dict[str, Any]:
    # "$schema" beside the $ref: inlining keeps the referring schema's, so POST answers what GET does.
    static = {part: {"$schema": DRAFT, "$ref": f"{action_key}.{part}.json"} for part in ("in", "out")}
    if xsd_dir is None:
        return static
    if action_key == "submitProduct":
        category = cfg.get("category")
        if category is None:
            return static  # the flow builder has not chosen one yet
        if category not in CATEGORIES:
            raise InputInvalid([InputProblem("cfg.category", "must be one of the 30 category values (see /select-model)")])
        item = item_schema(Path(xsd_dir).resolve(), category)
        title = f"Submit product: {CATEGORIES[category][0]}"
    else:
        item = item_schema(Path(xsd_dir).resolve(), None)
        title = "Submit product, category from payload"
    return {"in": input_schema(item, title), "out": static["out"]}


# -- check and run ------------------------------------------------------------------------------

def product_messages(body: Any, cfg: dict[str, Any], *, from_payload: bool,
                     xsd_dir: Path | None) -> list[ProductMessage]:
    model = xsd_model(xsd_dir) if xsd_dir is not None else None
    operation = operation_of(cfg)
    return [
        ProductMessage(message, operation, message.get("category") if from_payload else cfg.get("category"), model)
        for message in normalize(body)
    ]


def build_product_feed(body: Any, cfg: dict[str, Any], *, from_payload: bool, xsd_dir: Path | None) -> Feed:
    """The envelope; with `xsd_dir` validated, InputInvalid naming the input's own paths."""
    messages = product_messages(body, cfg, from_payload=from_payload, xsd_dir=xsd_dir)
    try:
        return build_feed(MESSAGE_TYPE, messages, cfg["sellerId"], xsd_dir=xsd_dir, single=is_single(body))
    except InputInvalid as invalid:
        raise InputInvalid([_input_path(problem) for problem in invalid.problems]) from None


def _input_path(problem: InputProblem) -> InputProblem:
    """ProductData's category element is implied by the category: `...ProductData.Toys.Color` is
    the input's `...ProductData.Color`."""
    head, sep, tail = problem.path.partition(".ProductData.")
    if sep:
        element, _, rest = tail.partition(".")
        if element in CATEGORY_ELEMENTS:
            return InputProblem(f"{head}.ProductData" + (f".{rest}" if rest else ""), problem.message)
    return problem


def check_input(body: Any, cfg: dict[str, Any], *, from_payload: bool) -> list[InputProblem]:
    """What the schemas cannot say: operation and category values, dates that must parse."""
    problems: list[InputProblem] = []
    if operation_of(cfg) not in OPERATIONS:
        problems.append(InputProblem("cfg.operation", f"must be one of {', '.join(OPERATION_CHOICES)}"))
    if not from_payload and cfg.get("category") not in CATEGORIES:
        problems.append(InputProblem("cfg.category", "must be one of the product categories"))
    single = is_single(body)
    for index, message in enumerate(normalize(body)):
        if not isinstance(message, dict):
            continue
        base = "msg.body" if single else f"msg.body.messages[{index}]"
        if from_payload and message.get("category") not in CATEGORIES:
            problems.append(InputProblem(f"{base}.category", "must be one of the product categories"))
        problems += name_problems(message, base)
        for key in _DATE_TIMES:
            value = message.get(key)
            if isinstance(value, str) and parse_datetime(value) is None:
                problems.append(InputProblem(f"{base}.{key}", "is not an ISO-8601 date-time"))
    return problems


def _listings_feed(body: Any, cfg: dict[str, Any]) -> Feed:
    """On SP-API: one JSON listings feed of the messages (sp-api.md §5)."""
    return listings.listings_feed(listings.product, normalize(body), cfg, single=is_single(body))


def product_action(action_key: str):
    """check, process, check_snapshot, get_meta_model and select_model of one of the two product actions."""
    from_payload = action_key == "submitProductCategoryFromPayload"

    def check(msg: dict[str, Any], cfg: dict[str, Any], settings: Settings) -> list[InputProblem]:
        if backend_name(cfg) == SPAPI:
            try:
                _listings_feed(msg["body"], cfg)
            except InputInvalid as invalid:
                return invalid.problems
            return []
        problems = check_input(msg["body"], cfg, from_payload=from_payload)
        if not problems and settings.mws_xsd_dir is not None:
            try:
                build_product_feed(msg["body"], cfg, from_payload=from_payload, xsd_dir=settings.mws_xsd_dir)
            except InputInvalid as invalid:
                problems = invalid.problems
        return problems

    async def process(ctx: StepContext, msg: dict[str, Any]) -> None:
        if backend_name(ctx.cfg) == SPAPI:
            feed = _listings_feed(msg["body"], ctx.cfg)
        elif ctx.settings.mws_xsd_dir is None:
            feed = build_product_feed(msg["body"], ctx.cfg, from_payload=from_payload, xsd_dir=None)
        else:
            # check() has validated this envelope against the XSDs already; the model still orders
            # the elements, so the bytes (and MD5) are the ones validated.
            feed = _ordered_feed(msg["body"], ctx.cfg, ctx.settings.mws_xsd_dir)
        await run_feed(ctx, feeds_for(ctx), feed, msg_id=msg.get("id"))

    def _ordered_feed(body: Any, cfg: dict[str, Any], xsd_dir: Path) -> Feed:
        messages = product_messages(body, cfg, from_payload=from_payload, xsd_dir=xsd_dir)
        return build_feed(MESSAGE_TYPE, messages, cfg["sellerId"])

    def get_meta_model(cfg: dict[str, Any], settings: Settings | None = None) -> dict[str, Any]:
        if backend_name(cfg) == SPAPI:  # listings: the product type's attributes, whatever the category
            return {part: {"$schema": DRAFT, "$ref": f"../spapi/actions/{action_key}.{part}.json"}
                    if part == "in" else {"$schema": DRAFT, "$ref": f"{action_key}.out.json"} for part in ("in", "out")}
        # The runtime passes its settings: an app built with Settings(mws_xsd_dir=None) must serve
        # the static schema even when the process environment names an XSD folder.
        return meta_model(action_key, cfg, (settings or Settings.from_env()).mws_xsd_dir)

    return check, process, check_feed_snapshot, get_meta_model, select_model
