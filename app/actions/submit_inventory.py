"""Submit Inventory: quantity or availability, latency, restock date (Inventory feed)."""
from app.feeds.submission import feed_action

check, process = feed_action("submitInventory")
