"""Only a sale carries spend (``kiosk.ledger.SPEND_KINDS``), but an older ledger accepted
spend on any entry and a kiosk pulls what it holds. The tier window's sum (every sale
reads it) subtracts such stray spend, read from a partial index that holds only those
entries: empty in a store that never met one, and no page for a sale to write.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_entries_stray_spend", "entries",
                    ["member_id", "occurred_at", "amount_minor"],
                    sqlite_where=sa.text("amount_minor <> 0 AND kind NOT IN ('earn', 'reverse')"))


def downgrade() -> None:
    op.drop_index("ix_entries_stray_spend", "entries")
