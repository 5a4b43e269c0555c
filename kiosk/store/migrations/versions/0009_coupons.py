"""Coupons (issue 14, point 6): the coupons the orders rung up here issued, by their derived
ids, for the member screen and the receipt (``kiosk.store.order_rows``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coupons",
        sa.Column("id", sa.LargeBinary(16), primary_key=True),
        sa.Column("member_id", sa.LargeBinary(16), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("once", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_coupons_member_id", "coupons", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_coupons_member_id", "coupons")
    op.drop_table("coupons")
