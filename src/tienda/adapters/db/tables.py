"""The transactional schema, as SQLAlchemy Core tables. Alembic migrations are the source of
truth for the database; this module mirrors them for queries (a test compares the two)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _timestamps() -> list[Column[object]]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


def _money(name: str) -> Column[int]:
    return Column(name, BigInteger, nullable=False, server_default="0")


categories = Table(
    "categories", metadata,
    Column("id", Integer, primary_key=True),
    Column("parent_id", Integer, ForeignKey("categories.id", ondelete="RESTRICT")),
    Column("slug", String(120), nullable=False, unique=True),
    Column("name_es", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    *_timestamps(),
)

products = Table(
    "products", metadata,
    Column("id", Integer, primary_key=True),
    Column("category_id", Integer, ForeignKey("categories.id", ondelete="RESTRICT"),
           nullable=False, index=True),
    Column("slug", String(160), nullable=False, unique=True),
    Column("name_es", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("description_es", Text, nullable=False, server_default=""),
    Column("description_en", Text, nullable=False, server_default=""),
    Column("is_published", Boolean, nullable=False, server_default="0"),
    Column("is_featured", Boolean, nullable=False, server_default="0"),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
)

variants = Table(
    "variants", metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("sku", String(64), nullable=False, unique=True),
    Column("attributes", JSON, nullable=False),
    Column("price_minor", BigInteger, nullable=False),
    Column("cost_minor", BigInteger, nullable=False, server_default="0"),
    Column("currency", String(3), nullable=False),
    Column("is_published", Boolean, nullable=False, server_default="1"),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    CheckConstraint("price_minor >= 0", name="price_not_negative"),
    CheckConstraint("cost_minor >= 0", name="cost_not_negative"),
)

product_images = Table(
    "product_images", metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("blob_key", String(300), nullable=False),
    Column("thumbnail_key", String(300), nullable=False),
    Column("content_type", String(60), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("alt_es", String(300), nullable=False, server_default=""),
    Column("alt_en", String(300), nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

warehouses = Table(
    "warehouses", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("is_default", Boolean, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

stock_levels = Table(
    "stock_levels", metadata,
    Column("variant_id", Integer, ForeignKey("variants.id", ondelete="CASCADE"),
           primary_key=True),
    Column("warehouse_id", Integer, ForeignKey("warehouses.id", ondelete="RESTRICT"),
           primary_key=True),
    Column("on_hand", Integer, nullable=False, server_default="0"),
    Column("reserved", Integer, nullable=False, server_default="0"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("reserved >= 0", name="reserved_not_negative"),
    CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
)

stock_movements = Table(
    "stock_movements", metadata,
    Column("id", Integer, primary_key=True),
    Column("variant_id", Integer, ForeignKey("variants.id", ondelete="RESTRICT"), nullable=False),
    Column("warehouse_id", Integer, ForeignKey("warehouses.id", ondelete="RESTRICT"),
           nullable=False),
    Column("kind", String(20), nullable=False),
    Column("on_hand_delta", Integer, nullable=False, server_default="0"),
    Column("reserved_delta", Integer, nullable=False, server_default="0"),
    Column("reason", String(300), nullable=False, server_default=""),
    Column("order_id", String(36), ForeignKey("orders.id", ondelete="RESTRICT")),
    Column("actor", String(200), nullable=False, server_default="system"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_stock_movements_variant_warehouse", "variant_id", "warehouse_id"),
    Index("ix_stock_movements_order_id", "order_id"),
)

customers = Table(
    "customers", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(200)),
    Column("name", String(200), nullable=False, server_default=""),
    Column("locale", String(5), nullable=False, server_default="es"),
    Column("marketing_consent", Boolean, nullable=False, server_default="0"),
    Column("consent_changed_at", DateTime(timezone=True)),
    *_timestamps(),
    Index("ix_customers_updated_at_id", "updated_at", "id"),  # the analytics ETL's watermark
)

addresses = Table(
    "addresses", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("line1", String(300), nullable=False),
    Column("line2", String(300), nullable=False, server_default=""),
    Column("city", String(120), nullable=False),
    Column("postal_code", String(20), nullable=False),
    Column("country", String(2), nullable=False),
    Column("is_default", Boolean, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

carts = Table(
    "carts", metadata,
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="SET NULL")),
    Column("currency", String(3), nullable=False),
    Column("checked_out_order_id", String(36)),
    *_timestamps(),
)

cart_lines = Table(
    "cart_lines", metadata,
    Column("cart_id", String(36), ForeignKey("carts.id", ondelete="CASCADE"), primary_key=True),
    Column("variant_id", Integer, ForeignKey("variants.id", ondelete="CASCADE"),
           primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

orders = Table(
    "orders", metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="SET NULL"), index=True),
    Column("email", String(320), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("channel", String(20), nullable=False, server_default="web"),
    Column("locale", String(5), nullable=False, server_default="es"),
    Column("currency", String(3), nullable=False),
    _money("subtotal_minor"),
    _money("discount_minor"),
    _money("shipping_minor"),
    _money("tax_minor"),
    _money("total_minor"),
    Column("shipping_method", String(30), nullable=False),
    Column("shipping_address", JSON, nullable=False),
    Column("tracking_number", String(100)),
    Column("invoice_blob_key", String(300)),
    Column("access_token_hash", String(64), nullable=False),
    Column("idempotency_key", String(100), unique=True),
    Column("placed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_orders_updated_at_id", "updated_at", "id"),
    Index("ix_orders_placed_at", "placed_at"),
    CheckConstraint(
        "status IN ('pending','confirmed','shipped','delivered','cancelled','refunded')",
        name="known_status",
    ),
)

order_lines = Table(
    "order_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", String(36), ForeignKey("orders.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("variant_id", Integer, ForeignKey("variants.id", ondelete="RESTRICT"),
           nullable=False, index=True),
    Column("warehouse_id", Integer, ForeignKey("warehouses.id", ondelete="RESTRICT")),
    Column("sku", String(64), nullable=False),
    Column("product_name", String(200), nullable=False),
    Column("quantity", Integer, nullable=False),
    _money("unit_price_minor"),
    _money("unit_cost_minor"),
    _money("discount_minor"),
    _money("tax_minor"),
    _money("total_minor"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

order_events = Table(
    "order_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", String(36), ForeignKey("orders.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("status_from", String(20)),
    Column("status_to", String(20), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

payments = Table(
    "payments", metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", String(36), ForeignKey("orders.id", ondelete="CASCADE"),
           nullable=False, unique=True),
    Column("provider", String(30), nullable=False),
    Column("reference", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    _money("amount_minor"),
    Column("currency", String(3), nullable=False),
    *_timestamps(),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", String(36), nullable=False, unique=True),
    Column("queue", String(63), nullable=False),
    Column("payload", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True)),
    Index("ix_outbox_unpublished", "published_at", "id"),
)

processed_messages = Table(
    "processed_messages", metadata,
    Column("handler", String(60), primary_key=True),
    Column("message_id", String(36), primary_key=True),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

staff_users = Table(
    "staff_users", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    *_timestamps(),
    CheckConstraint("role IN ('admin','manager','support','viewer')", name="known_role"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("actor", String(320), nullable=False),
    Column("action", String(60), nullable=False),
    Column("entity", String(60), nullable=False),
    Column("entity_id", String(60), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now(),
           index=True),
)

timer_runs = Table(
    "timer_runs", metadata,
    Column("name", String(60), primary_key=True),
    Column("last_started_at", DateTime(timezone=True)),
    Column("last_finished_at", DateTime(timezone=True)),
    Column("last_error", Text),
)

sandbox_charges = Table(
    "sandbox_charges", metadata,
    Column("reference", String(40), primary_key=True),
    Column("token", String(60), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("captures", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# --- storefront (migration 0003_storefront) --------------------------------------------------

customer_sessions = Table(
    "customer_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

password_reset_tokens = Table(
    "password_reset_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

stock_subscriptions = Table(
    "stock_subscriptions", metadata,
    Column("id", Integer, primary_key=True),
    Column("variant_id", Integer, ForeignKey("variants.id", ondelete="CASCADE"), nullable=False),
    Column("email", String(320), nullable=False),
    Column("locale", String(5), nullable=False, server_default="es"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("notified_at", DateTime(timezone=True)),
    Index("ix_stock_subscriptions_variant_email", "variant_id", "email", unique=True),
)
_PENDING = text("notified_at IS NULL")
Index("ix_stock_subscriptions_pending", stock_subscriptions.c.variant_id,
      sqlite_where=_PENDING, postgresql_where=_PENDING)

sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(400), nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_sign_in_failures_key_failed_at", "key", "failed_at"),
)

# SQLite: triggers on the catalog tables bump this row. PostgreSQL: the triggers bump the
# sequence catalog_version_seq instead, so concurrent checkouts never queue on one row.
catalog_version = Table(
    "catalog_version", metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False, server_default="0"),
)

# --- attribute labels and pending alerts (migration 0005) --------------------------------------

# What shoppers read for a stored variant attribute value, per language; catalog data (its
# triggers bump the catalog version). A value without a row reads as stored.
attribute_labels = Table(
    "attribute_labels", metadata,
    Column("attribute", String(50), primary_key=True),
    Column("value", String(100), primary_key=True),
    Column("locale", String(5), primary_key=True),
    Column("label", String(200), nullable=False),
)

# --- backoffice (migration 0003_backoffice) -------------------------------------------------

staff_sessions = Table(
    "staff_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff_users.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

order_notes = Table(
    "order_notes", metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", String(36), ForeignKey("orders.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("author", String(320), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

Index("ix_audit_log_entity_entity_id", audit_log.c.entity, audit_log.c.entity_id)
