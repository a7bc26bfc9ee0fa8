"""Update Order: acknowledge orders (OrderAcknowledgement, _POST_ORDER_ACKNOWLEDGEMENT_DATA_)."""
from app.feeds import order_acknowledgement
from app.steps.feeds import FeedBuilders, feed_action

check, process, check_snapshot = feed_action(FeedBuilders(xml=order_acknowledgement))
