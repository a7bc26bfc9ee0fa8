"""Change Product Image: set or delete images by type (ProductImage, _POST_PRODUCT_IMAGE_DATA_),
sent to the credential's marketplace, as Amazon requires for image feeds."""
from app.feeds import listings, product_image
from app.steps.feeds import FeedBuilders, feed_action

check, process, check_snapshot = feed_action(FeedBuilders(xml=product_image, listings=listings.image, to_marketplace=True))
