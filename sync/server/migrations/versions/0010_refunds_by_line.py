"""Refunds by line (issue 15): the refunds devices record (which lines of an order, how
many) are kept, and the reversals they make are checked against them; an entry is then
reversed whole or in parts, so ``entries.reverses`` is indexed instead of unique (the
check in ``refunds.py`` keeps the parts within the entry).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The unique constraint 0001 made has no name of its own: PostgreSQL called it
# entries_reverses_key; on SQLite the batch reflects it under this convention.
_NAMING = {"uq": "%(table_name)s_%(column_0_name)s_key"}


def upgrade() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("order_ref", sa.String(64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_refunds_order", "refunds", ["channel", "order_ref"])
    with op.batch_alter_table("entries", naming_convention=_NAMING) as batch:
        batch.drop_constraint("entries_reverses_key", type_="unique")
        batch.create_index("ix_entries_reverses", ["reverses"])


def downgrade() -> None:
    with op.batch_alter_table("entries", naming_convention=_NAMING) as batch:
        batch.drop_index("ix_entries_reverses")
        batch.create_unique_constraint("entries_reverses_key", ["reverses"])
    op.drop_index("ix_refunds_order", "refunds")
    op.drop_table("refunds")
