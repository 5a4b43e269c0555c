"""A checkout's redemptions by their order (issue 15): the upload audit looks up the
redemptions of the orders with loyalty it receives (``checkout_audit.py``); without an
index of their own that was a scan of every entry. Only checkout redemptions are in it.

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

_WHERE = "kind = 'redeem' AND note = 'checkout'"


def upgrade() -> None:
    op.create_index("ix_entries_checkout", "entries", ["channel", "order_ref"],
                    postgresql_where=sa.text(_WHERE), sqlite_where=sa.text(_WHERE))


def downgrade() -> None:
    op.drop_index("ix_entries_checkout", "entries")
