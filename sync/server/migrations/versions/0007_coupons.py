"""Coupons (issue 14, point 6): the coupons the rules issue, as instruments with an id, a
validity window and a single use (``sync/server/coupons.py``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coupons",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("member_id", sa.Uuid, nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("program_version", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_channel", sa.String(64), nullable=False),
        sa.Column("issued_order_ref", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_channel", sa.String(64), nullable=True),
        sa.Column("used_order_ref", sa.String(64), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_coupons_member_id", "coupons", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_coupons_member_id", "coupons")
    op.drop_table("coupons")
