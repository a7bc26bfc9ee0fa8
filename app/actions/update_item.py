"""Update Item: set SKU quantities (Inventory, _POST_INVENTORY_AVAILABILITY_DATA_)."""
from app.feeds.submission import feed_action

check, process = feed_action("updateItem")
