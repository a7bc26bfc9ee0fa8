"""One wire model read by client and sandbox: app/model/mws/*.json. The sandbox serves what the
client's model says (sections, versions, namespaces, quotas, feed types, marketplaces) and answers
no error code the shared error table lacks."""
from __future__ import annotations

import ast
from pathlib import Path

import app.sandbox
from app.model import MODEL_DIR, load
from app.mws.endpoints import MARKETPLACE_INFO
from app.mws.operations import error_model, operations, throttle_groups
from app.sandbox import Sandbox
from app.sandbox.mws import wire
from app.sandbox.mws.errors import CATALOGUE

SANDBOX = Path(app.sandbox.__file__).parent


def _codes_raised_in_sandbox_sources() -> set[str]:
    """Every literal code given to MWSError(...) anywhere in the sandbox."""
    codes: set[str] = set()
    for source in SANDBOX.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "MWSError" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                codes.add(node.args[0].value)
    return codes


def test_given_every_error_code_the_sandbox_can_answer_then_it_is_in_the_error_table():
    raised = _codes_raised_in_sandbox_sources()
    assert {"QuotaExceeded", "ContentMD5Missing", "InvalidFeedSubmissionId"} <= raised  # the scan sees them
    assert raised <= set(CATALOGUE), sorted(raised - set(CATALOGUE))
    table = wire.error_codes()                            # the sandbox reads the client's error table
    assert table == set(error_model()["codes"])
    assert set(CATALOGUE) <= table, sorted(set(CATALOGUE) - table)


def test_given_the_model_files_then_they_live_in_the_data_package_only():
    assert sorted(p.name for p in (MODEL_DIR / "mws").glob("*.json")) == [
        "errors.json", "feeds.json", "marketplaces.json", "orders.json", "reports.json", "sellers.json", "throttle.json"]
    assert not (Path(app.__file__).parent / "mws" / "model").exists()
    assert not list(SANDBOX.rglob("*.json"))


def test_given_the_sandbox_then_it_serves_each_operation_of_the_clients_model_at_its_path_version_and_namespace(
        clock):
    served = {(s.name, action): s for s in Sandbox(clock=clock).sections for action in s.handlers}
    for op in operations():
        section = served[(op.section, op.name)]
        assert (section.path, section.version) == (op.path, op.version)
        assert section.namespace == load("mws", op.section.lower())["namespace"]


def test_given_the_sandbox_throttle_then_its_quotas_are_the_clients_throttle_groups(sandbox):
    assert {g: q for g, q in sandbox.throttle.quotas.items()} == throttle_groups()
    for op in operations():
        assert wire.throttle_group(op.name) == op.throttle_group


def test_given_the_marketplaces_then_the_sandbox_knows_every_one_the_client_has_an_endpoint_for():
    facts = wire.marketplaces()
    assert set(MARKETPLACE_INFO) <= set(facts)
    assert all(facts[mid].country == info.country for mid, info in MARKETPLACE_INFO.items())
    assert facts["A6W85IYQ5WB1C"].name == "IBA"          # non-retail: the sandbox's only, no endpoint


def test_given_feed_types_then_each_xml_one_names_its_message_type_and_flat_files_are_served_too():
    types = wire.feed_types()
    assert types["_POST_INVENTORY_AVAILABILITY_DATA_"] == {"format": "xml", "messageType": "Inventory"}
    assert types["_POST_FLAT_FILE_INVLOADER_DATA_"]["format"] == "flat"
    assert all(t["format"] in ("xml", "flat") and (t["format"] == "flat") != ("messageType" in t)
               for t in types.values())
