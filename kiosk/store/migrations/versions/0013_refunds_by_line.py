"""Refunds by line (issue 15): each refund of some of an order's lines is kept as a fact
(which lines, how many) until the ledger has it, and an entry may be reversed in parts,
one reversal per refund, never beyond the entry (the refund engine and the ledger see to
that), so the index on ``reverses`` stops being unique.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


# What the unique index said for a whole reversal, said for parts: an entry's reversals
# never go past it (nor the other way), whatever writes them.
_UNDONE = ("NEW.{c} + COALESCE((SELECT SUM({c}) FROM entries WHERE reverses = NEW.reverses), 0)")
WITHIN = f"""
    CREATE TRIGGER entries_reversals_within BEFORE INSERT ON entries
    WHEN NEW.reverses IS NOT NULL AND EXISTS (
        SELECT 1 FROM entries o WHERE o.id = NEW.reverses AND (
            o.points * ({_UNDONE.format(c="points")}) > 0
            OR abs({_UNDONE.format(c="points")}) > abs(o.points)
            OR o.amount_minor * ({_UNDONE.format(c="amount_minor")}) > 0
            OR abs({_UNDONE.format(c="amount_minor")}) > abs(o.amount_minor)))
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: reversals within the entry');
    END"""


def upgrade() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", sa.LargeBinary(16), primary_key=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("order_ref", sa.String(64), nullable=False),
        sa.Column("occurred_at", sa.BigInteger, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("on_ledger", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_refunds_order", "refunds", ["channel", "order_ref"])
    op.drop_index("ux_entries_reverses", "entries")
    op.create_index("ix_entries_reverses", "entries", ["reverses"],
                    sqlite_where=sa.text("reverses IS NOT NULL"))
    op.execute(WITHIN)


def downgrade() -> None:
    op.execute("DROP TRIGGER entries_reversals_within")
    op.drop_index("ix_entries_reverses", "entries")
    op.create_index("ux_entries_reverses", "entries", ["reverses"], unique=True,
                    sqlite_where=sa.text("reverses IS NOT NULL"))
    op.drop_index("ix_refunds_order", "refunds")
    op.drop_table("refunds")
