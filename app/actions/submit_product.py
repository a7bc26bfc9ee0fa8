"""Submit Product: create, update or delete products of one category (Product, _POST_PRODUCT_DATA_);
cfg `operation` (Update, Delete, PartialUpdate; Upsert sent as Update) and `category`. With
MWS_XSD_DIR the input schema is the category's, generated from its XSD (dynamic metadata)."""
from app.steps.products import product_action

check, process, check_snapshot, get_meta_model, select_model = product_action("submitProduct")
