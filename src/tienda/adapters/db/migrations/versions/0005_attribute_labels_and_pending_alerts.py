"""Attribute value labels per language, and an index of the back-in-stock alerts not yet sent.

``attribute_labels`` holds what shoppers read for a stored variant attribute value (the
value itself stays the filter key); a value without a row reads as stored. It is catalog
data, so it bumps the catalog version like the tables of migration 0003_storefront.
``ix_stock_subscriptions_pending`` is partial (``notified_at IS NULL``): the back-in-stock
timer scans only the alerts still waiting, however many were sent before.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLE = "attribute_labels"
PENDING = sa.text("notified_at IS NULL")


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("attribute", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("attribute", "value", "locale", name=op.f("pk_attribute_labels")),
    )
    op.create_index("ix_stock_subscriptions_pending", "stock_subscriptions", ["variant_id"],
                    sqlite_where=PENDING, postgresql_where=PENDING)
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            f"CREATE CONSTRAINT TRIGGER catalog_version_{TABLE} AFTER INSERT OR UPDATE OR "
            f"DELETE ON {TABLE} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION bump_catalog_version()"
        )
        return
    for verb in ("INSERT", "UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER catalog_version_{TABLE}_{verb.lower()} AFTER {verb} ON {TABLE} "
            "BEGIN UPDATE catalog_version SET version = version + 1 WHERE id = 1; END"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER catalog_version_{TABLE} ON {TABLE}")
    else:
        for verb in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER catalog_version_{TABLE}_{verb}")
    op.drop_index("ix_stock_subscriptions_pending", table_name="stock_subscriptions")
    op.drop_table(TABLE)
