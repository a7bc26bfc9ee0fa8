"""Submit Product, category from payload: as submitProduct, with `category` in each message, so
that one Product feed can mix categories."""
from app.feeds.product_steps import product_action

check, process, get_meta_model, select_model = product_action("submitProductCategoryFromPayload")
