"""Storefront: customer sessions, password resets, back-in-stock subscriptions, sign-in
failures for rate limiting, full-text search over products and the catalog version.

Full-text search is dialect-specific and kept out of tables.py (``adapters/db/search.py``
names the objects so the schema comparison can skip them):
- SQLite: an FTS5 external-content table ``products_fts`` kept in sync by triggers.
- PostgreSQL: a GIN index over a weighted tsvector expression of the product texts.
The catalog version is bumped by triggers on every catalog table (products, variants,
images, categories, stock levels) so the storefront's cache never needs the writers' help.

Revision ID: 0003_storefront
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_storefront"
down_revision = "0002"
branch_labels = None
depends_on = None

CATALOG_TABLES = ("products", "variants", "product_images", "categories", "stock_levels")
FTS_COLUMNS = "name_es, name_en, description_es, description_en"
# Kept identical to tienda.adapters.db.search.PG_DOCUMENT (an index only serves a query
# whose expression matches it character for character).
PG_DOCUMENT = (
    "setweight(to_tsvector('simple'::regconfig, translate(lower(name_es || ' ' || name_en), "
    "'áàäâéèëêíìïîóòöôúùüûñç', 'aaaaeeeeiiiioooouuuunc')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, translate(lower(description_es || ' ' || "
    "description_en), 'áàäâéèëêíìïîóòöôúùüûñç', 'aaaaeeeeiiiioooouuuunc')), 'B')"
)


def upgrade() -> None:
    _create_tables()
    if op.get_context().dialect.name == "postgresql":
        _postgres_search_and_version()
    else:
        _sqlite_search_and_version()


def _timestamp(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _create_tables() -> None:
    now = sa.text("(CURRENT_TIMESTAMP)")
    op.create_table(
        "customer_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        _timestamp("expires_at"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE",
                                name=op.f("fk_customer_sessions_customer_id_customers")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_customer_sessions")),
    )
    op.create_index(op.f("ix_customer_sessions_customer_id"), "customer_sessions",
                    ["customer_id"])
    op.create_table(
        "password_reset_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        _timestamp("expires_at"),
        _timestamp("used_at", nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE",
                                name=op.f("fk_password_reset_tokens_customer_id_customers")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_password_reset_tokens")),
    )
    op.create_index(op.f("ix_password_reset_tokens_customer_id"), "password_reset_tokens",
                    ["customer_id"])
    op.create_table(
        "stock_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("locale", sa.String(length=5), server_default="es", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=now, nullable=False),
        _timestamp("notified_at", nullable=True),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"], ondelete="CASCADE",
                                name=op.f("fk_stock_subscriptions_variant_id_variants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_subscriptions")),
    )
    op.create_index("ix_stock_subscriptions_variant_email", "stock_subscriptions",
                    ["variant_id", "email"], unique=True)
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        _timestamp("failed_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index("ix_sign_in_failures_key_failed_at", "sign_in_failures",
                    ["key", "failed_at"])
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_version")),
    )
    op.execute("INSERT INTO catalog_version (id, version) VALUES (1, 0)")


def _sqlite_search_and_version() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE products_fts USING fts5({FTS_COLUMNS}, content='products', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    new = "new.name_es, new.name_en, new.description_es, new.description_en"
    old = "old.name_es, old.name_en, old.description_es, old.description_en"
    op.execute(
        "CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN "
        f"INSERT INTO products_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {new}); END"
    )
    op.execute(
        "CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN "
        f"INSERT INTO products_fts(products_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        "CREATE TRIGGER products_fts_update AFTER UPDATE ON products BEGIN "
        f"INSERT INTO products_fts(products_fts, rowid, {FTS_COLUMNS}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO products_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {new}); END"
    )
    op.execute("INSERT INTO products_fts(products_fts) VALUES ('rebuild')")
    for table in CATALOG_TABLES:
        for verb in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER catalog_version_{table}_{verb.lower()} AFTER {verb} ON {table} "
                "BEGIN UPDATE catalog_version SET version = version + 1 WHERE id = 1; END"
            )


def _postgres_search_and_version() -> None:
    op.execute(f"CREATE INDEX ix_products_search ON products USING gin (({PG_DOCUMENT}))")
    op.execute("CREATE SEQUENCE catalog_version_seq")
    op.execute(
        "CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM nextval('catalog_version_seq'); RETURN NULL; END $$"
    )
    # Deferred to commit time: a reader that sees the new version also sees the new rows
    # (save for the instant between the bump and the commit; the cache's TTL bounds that).
    for table in CATALOG_TABLES:
        op.execute(
            f"CREATE CONSTRAINT TRIGGER catalog_version_{table} AFTER INSERT OR UPDATE OR "
            f"DELETE ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION bump_catalog_version()"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for table in CATALOG_TABLES:
            op.execute(f"DROP TRIGGER catalog_version_{table} ON {table}")
        op.execute("DROP FUNCTION bump_catalog_version()")
        op.execute("DROP SEQUENCE catalog_version_seq")
        op.execute("DROP INDEX ix_products_search")
    else:
        for table in CATALOG_TABLES:
            for verb in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER catalog_version_{table}_{verb}")
        for verb in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER products_fts_{verb}")
        op.execute("DROP TABLE products_fts")
    op.drop_table("catalog_version")
    op.drop_index("ix_sign_in_failures_key_failed_at", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
    op.drop_index("ix_stock_subscriptions_variant_email", table_name="stock_subscriptions")
    op.drop_table("stock_subscriptions")
    op.drop_index(op.f("ix_password_reset_tokens_customer_id"),
                  table_name="password_reset_tokens")
    op.drop_table("password_reset_tokens")
    op.drop_index(op.f("ix_customer_sessions_customer_id"), table_name="customer_sessions")
    op.drop_table("customer_sessions")
