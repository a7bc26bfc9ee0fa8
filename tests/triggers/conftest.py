"""The orders test bench (tests/orders_helpers.py): the real component over an in-process sandbox."""
from orders_helpers import backend, make_service  # noqa: F401  (fixtures)
