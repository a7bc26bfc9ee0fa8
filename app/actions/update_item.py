"""Update Item: set SKU quantities (Inventory, _POST_INVENTORY_AVAILABILITY_DATA_)."""
from app.feeds import inventory, listings
from app.steps.feeds import FeedBuilders, feed_action

check, process, check_snapshot = feed_action(FeedBuilders(xml=inventory, listings=listings.inventory))
