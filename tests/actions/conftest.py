"""The test benches of the actions: the real component over an in-process sandbox (tests/orders_helpers.py,
and tests/feed_actions_helpers.py for the feed actions)."""
from orders_helpers import backend, make_service  # noqa: F401  (fixtures)
from feed_actions_helpers import make_feed_service, xsd_dir  # noqa: F401  (fixtures)
