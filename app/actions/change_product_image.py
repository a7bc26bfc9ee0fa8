"""Change Product Image: set or delete images by type (ProductImage, _POST_PRODUCT_IMAGE_DATA_),
sent to the credential's marketplace, as Amazon requires for image feeds."""
from app.feeds.submission import feed_action

check, process = feed_action("changeProductImage", send_marketplace=True)
