"""Establish Product Relationships: variations and accessories of a parent SKU
(Relationship, _POST_PRODUCT_RELATIONSHIP_DATA_)."""
from app.feeds import listings, relationship
from app.steps.feeds import FeedBuilders, feed_action

check, process, check_snapshot = feed_action(FeedBuilders(xml=relationship, listings=listings.relationship))
