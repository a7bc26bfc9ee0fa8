"""Submit Inventory: quantity or availability, latency, restock date (Inventory feed)."""
from app.feeds import inventory, listings
from app.steps.feeds import FeedBuilders, feed_action

check, process, check_snapshot = feed_action(FeedBuilders(xml=inventory, listings=listings.inventory))
