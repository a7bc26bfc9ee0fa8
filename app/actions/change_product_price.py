"""Change Product Price: standard, sale and min/max prices (Price, _POST_PRODUCT_PRICING_DATA_)."""
from app.feeds.submission import feed_action

check, process = feed_action("changeProductPrice")
