"""Submit Product, category from payload: as submitProduct, with `category` in each message, so
that one Product feed can mix categories."""
from app.steps.products import product_action

check, process, check_snapshot, get_meta_model, select_model = product_action("submitProductCategoryFromPayload")
