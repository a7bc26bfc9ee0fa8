"""Update Order: acknowledge orders (OrderAcknowledgement, _POST_ORDER_ACKNOWLEDGEMENT_DATA_)."""
from app.feeds.submission import feed_action

check, process = feed_action("updateOrder")
