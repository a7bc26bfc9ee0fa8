"""Change Product Price: standard, sale, minimum and maximum prices (Price, _POST_PRODUCT_PRICING_DATA_)."""
from app.feeds import listings, price
from app.steps.feeds import FeedBuilders, feed_action

check, process, check_snapshot = feed_action(FeedBuilders(xml=price, listings=listings.price))
