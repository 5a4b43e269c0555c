"""Orders (issue 14): every sale is kept as an order with its lines, the member state the
counter knew, the program version and the awards of each line, member or not, until the
ledger has it (``on_ledger``). No index by member yet: each index is another page every
sale writes (the reports that want one come with it).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
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
        "orders",
        sa.Column("channel", sa.String(64), primary_key=True),
        sa.Column("order_ref", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.LargeBinary(16), nullable=True),
        sa.Column("occurred_at", sa.BigInteger, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("on_ledger", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_orders_unsent", "orders", ["occurred_at"],
                    sqlite_where=sa.text("on_ledger = 0"))


def downgrade() -> None:
    op.drop_table("orders")
