"""Checkout holds (issue 15): a checkout holds its coupons with its points, so two counters
can't both take one coupon while the first is still ringing up; and a coupon two channels
used while offline is recorded once per extra use, reported like an overdraft.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("coupons", sa.Column("held_channel", sa.String(64), nullable=True))
    op.add_column("coupons", sa.Column("held_order_ref", sa.String(64), nullable=True))
    op.add_column("coupons", sa.Column("held_until", sa.DateTime(timezone=True),
                                       nullable=True))
    op.create_table(
        "coupon_double_uses",
        sa.Column("coupon_id", sa.Uuid, primary_key=True),
        sa.Column("channel", sa.String(64), primary_key=True),
        sa.Column("order_ref", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.Uuid, nullable=False),
        sa.Column("first_channel", sa.String(64), nullable=False),
        sa.Column("first_order_ref", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("coupon_double_uses")
    op.drop_column("coupons", "held_until")
    op.drop_column("coupons", "held_order_ref")
    op.drop_column("coupons", "held_channel")
