"""An index on customers (updated_at, id), for the analytics ETL's watermark.

Each incremental ETL run reads the customers with ``updated_at`` at or after its watermark
(minus an overlap); without this index that is a scan of the whole table on every run.
Orders have had the same index (``ix_orders_updated_at_id``) since 0001.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_customers_updated_at_id", "customers", ["updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_customers_updated_at_id", table_name="customers")
