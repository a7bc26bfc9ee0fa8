"""Semantic checks of feed input the JSON Schemas cannot express: dates that must parse, a sale
that must end after it starts. Each finding is an InputProblem for the 422 (contract §2)."""
from __future__ import annotations

from datetime import datetime

from app.runtime.errors import InputProblem

from .elements import date_problem, datetime_problem, parse_datetime
from .feed import is_single, normalize


def check_feed_input(kind: str, body: dict) -> list[InputProblem]:
    """Problems of `body` (msg.body) for a feed of message type `kind`; [] when it can be sent."""
    single = is_single(body)
    problems: list[InputProblem] = []
    for index, message in enumerate(normalize(body)):
        if not isinstance(message, dict):
            continue  # the input schema reports it
        base = "msg.body" if single else f"msg.body.messages[{index}]"
        if kind == "Inventory":
            problems += _inventory(message, base)
        elif kind == "Price":
            problems += _price(message, base)
    return problems


def _inventory(message: dict, base: str) -> list[InputProblem]:
    restock = message.get("RestockDate")
    if isinstance(restock, str) and (problem := date_problem(restock)):
        return [InputProblem(f"{base}.RestockDate", problem)]
    return []


def _price(message: dict, base: str) -> list[InputProblem]:
    sale = message.get("SalePrice")
    if not isinstance(sale, dict):
        return []
    problems: list[InputProblem] = []
    moments: dict[str, datetime] = {}
    for key in ("StartDate", "EndDate"):
        value = sale.get(key)
        if not isinstance(value, str):
            continue
        problem, moment = datetime_problem(value), parse_datetime(value)
        if problem or moment is None:
            problems.append(InputProblem(f"{base}.SalePrice.{key}", problem or "is not a date and time"))
        else:
            moments[key] = moment
    if len(moments) == 2 and moments["EndDate"] < moments["StartDate"]:
        problems.append(InputProblem(f"{base}.SalePrice.EndDate", "is before the StartDate"))
    return problems
