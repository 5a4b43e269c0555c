"""Sync bookkeeping: entries the ledger rejected, kept for a manager to see.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rejections",
        sa.Column("entry_id", sa.LargeBinary(16), sa.ForeignKey("entries.id"),
                  primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("rejected_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rejections")
