"""Members and cards remember whether the ledger has them, so an upload carries only the
ones it doesn't (before this, every batch re-sent the member and card of every entry).

Rows that exist already start as not sent: the next upload sends them once more, which
the ledger ignores (it inserts members and cards with ON CONFLICT DO NOTHING).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


UNSENT = {"members": ("ix_members_unsent", "id"), "cards": ("ix_cards_unsent", "member_id")}


def upgrade() -> None:
    for table, (index, column) in UNSENT.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("on_ledger", sa.Boolean, nullable=False,
                                       server_default=sa.false()))
        # Only the few rows still to send, so finding them never scans the table.
        op.create_index(index, table, [column], sqlite_where=sa.text("on_ledger = 0"))


def downgrade() -> None:
    for table, (index, _column) in UNSENT.items():
        op.drop_index(index, table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("on_ledger")
