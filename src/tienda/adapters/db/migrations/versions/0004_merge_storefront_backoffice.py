"""Join the storefront and backoffice schema branches.

Revision ID: 0004
Revises: 0003_storefront, 0003_backoffice
"""

from __future__ import annotations

revision = "0004"
down_revision = ("0003_storefront", "0003_backoffice")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
