"""An index on stock_movements (order_id).

Confirming, cancelling and refunding an order read that order's reservations from the ledger
(``SqlStockRepository.order_allocations``); without this index each of those is a scan of
the whole ledger, which only ever grows.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_stock_movements_order_id", "stock_movements", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_stock_movements_order_id", table_name="stock_movements")
