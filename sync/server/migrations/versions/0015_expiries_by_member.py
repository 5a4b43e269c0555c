"""The members' expiries by date (review 28c): before numbering a spend, the ledger asks
whether it is dated before an expiry of its member's that a run recorded (a late offline
spend: ``late_spends.py``), for every upload that spends, under the head's lock. Without
an index on expiries the question read every entry of each spending member through
``ix_entries_member_seq`` (a regular's thousands); this partial index answers it from the
expiries alone, which only the expiry run writes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

EXPIRE = "kind = 'expire'"


def upgrade() -> None:
    op.create_index("ix_entries_expiry", "entries", ["member_id", "occurred_at"],
                    postgresql_where=sa.text(EXPIRE), sqlite_where=sa.text(EXPIRE))


def downgrade() -> None:
    op.drop_index("ix_entries_expiry", "entries")
