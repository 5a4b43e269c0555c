"""One bonus per rule per order (issue 14's review): the ledger checked each promotion
entry against its order's rules, but a second copy under a new id (a stolen token, a
replayed batch with fresh ids) passed the same check and minted the points again. The
database keeps one, as ``ux_entries_sale_order`` does for the earn.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WHERE = "kind = 'bonus' AND order_ref IS NOT NULL"


def upgrade() -> None:
    op.create_index("ux_entries_order_bonus", "entries", ["channel", "order_ref", "note"],
                    unique=True, postgresql_where=sa.text(WHERE), sqlite_where=sa.text(WHERE))


def downgrade() -> None:
    op.drop_index("ux_entries_order_bonus", "entries")
