"""Orders (issue 14): every order a device uploads is kept with the member state, program
version and awards it was rung up with (the record's JSON), so the ledger can re-run the
rules for the entries that name it; non-member orders are kept too, for the reports.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("channel", sa.String(64), primary_key=True),
        sa.Column("order_ref", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.Uuid, nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("program_version", sa.String(40), nullable=False),
        sa.Column("gross_minor", sa.BigInteger, nullable=False),
        sa.Column("net_paid_minor", sa.BigInteger, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_orders_member_id", "orders", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_orders_member_id", "orders")
    op.drop_table("orders")
