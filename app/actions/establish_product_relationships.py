"""Establish Product Relationships: variations and accessories (Relationship, _POST_PRODUCT_RELATIONSHIP_DATA_)."""
from app.feeds.submission import feed_action

check, process = feed_action("establishProductRelationships")
