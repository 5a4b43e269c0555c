"""An earn entry records the tier the counter earned it at: the input the ledger needs to
re-run the earn rule and check the points (DESIGN, the program engine, points 2 and 3).
Entries made before keep NULL; the ledger then finds the lowest tier that gives their
points and checks that one.

A member may be known only by a card another store issued (``profile_pending``): sales are
recorded against the card's member id until sync brings the name and phone.

An entry the ledger refused (or this kiosk held back) is not on the ledger, so it leaves
the member's balance here too, by trigger in the statement that records the refusal, and
the tier's spend leaves it out: a refused NT$12,000 sale kept the member at silver here,
and the ledger then refused every later sale of theirs that claimed it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


REJECTED_LEAVE_BALANCE = """
    CREATE TRIGGER rejections_leave_balance AFTER INSERT ON rejections BEGIN
        UPDATE balances SET points = points - (SELECT points FROM entries
                                                WHERE id = NEW.entry_id)
        WHERE member_id = (SELECT member_id FROM entries WHERE id = NEW.entry_id);
    END"""
# Balances of stores that have refusals already: the same correction, once.
_REFUSED_POINTS = """
    UPDATE balances SET points = points {sign} (
        SELECT COALESCE(SUM(e.points), 0) FROM rejections r JOIN entries e ON e.id = r.entry_id
        WHERE e.member_id = balances.member_id)"""


def upgrade() -> None:
    # A plain ADD COLUMN: no table rebuild, so the triggers on entries stay as they are.
    op.add_column("entries", sa.Column("tier", sa.String(32), nullable=True))
    op.add_column("members", sa.Column("profile_pending", sa.Boolean, nullable=False,
                                       server_default=sa.false()))
    op.execute(_REFUSED_POINTS.format(sign="-"))
    op.execute(REJECTED_LEAVE_BALANCE)


def downgrade() -> None:
    op.execute("DROP TRIGGER rejections_leave_balance")
    op.execute(_REFUSED_POINTS.format(sign="+"))
    op.drop_column("members", "profile_pending")
    op.drop_column("entries", "tier")
