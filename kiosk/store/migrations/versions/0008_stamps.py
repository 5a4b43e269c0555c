"""Punch cards' stamps (issue 14): entries of kind ``stamp`` move a card, named by their
note, never points, so the cached balance leaves them out, as it leaves out the points of
an entry the ledger refused (``kiosk.ledger.moves_points``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_KEEP_BALANCE = """
    CREATE TRIGGER entries_keep_balance AFTER INSERT ON entries {when} BEGIN
        INSERT INTO balances (member_id, points) VALUES (NEW.member_id, NEW.points)
        ON CONFLICT (member_id) DO UPDATE SET points = points + excluded.points;
    END"""
_REFUSED_LEAVE_BALANCE = """
    CREATE TRIGGER rejections_leave_balance AFTER INSERT ON rejections BEGIN
        UPDATE balances SET points = points - (SELECT points FROM entries
                                                WHERE id = NEW.entry_id{filter})
        WHERE member_id = (SELECT member_id FROM entries WHERE id = NEW.entry_id{filter});
    END"""


def upgrade() -> None:
    op.execute("DROP TRIGGER entries_keep_balance")
    op.execute(_KEEP_BALANCE.format(when="WHEN NEW.kind <> 'stamp'"))
    op.execute("DROP TRIGGER rejections_leave_balance")
    op.execute(_REFUSED_LEAVE_BALANCE.format(filter=" AND kind <> 'stamp'"))
    # An entries table with no stamp entries yet (they come with this version): nothing
    # to correct in the cached balances.


def downgrade() -> None:
    op.execute("DROP TRIGGER entries_keep_balance")
    op.execute(_KEEP_BALANCE.format(when=""))
    op.execute("DROP TRIGGER rejections_leave_balance")
    op.execute(_REFUSED_LEAVE_BALANCE.format(filter=""))
