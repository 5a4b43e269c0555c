"""The ledger's copy of a once-only award replaces the kiosk's own. An award with a derived
id (a birthday, a sign-up, an expiry: channel ``program``) is one award wherever it was
made, and the ledger keeps the first copy it receives; a kiosk that granted its own under
another program version (another bonus, another date) learns the ledger's copy when it
pulls it. Entries stay append-only otherwise: such an entry's content may change only to
the ledger's copy (same id, member, kind and note; numbered by the ledger), and its
points move the cached balance by the difference in the same statement.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_SAME_CONTENT = """
    NEW.id IS OLD.id AND NEW.member_id IS OLD.member_id
    AND NEW.kind IS OLD.kind AND NEW.points IS OLD.points
    AND NEW.amount_minor IS OLD.amount_minor AND NEW.channel IS OLD.channel
    AND NEW.order_ref IS OLD.order_ref
    AND NEW.program_version IS OLD.program_version
    AND NEW.occurred_at IS OLD.occurred_at AND NEW.reverses IS OLD.reverses
    AND NEW.reward_id IS OLD.reward_id AND NEW.note IS OLD.note"""
_NUMBERED = f"(OLD.server_seq IS NULL AND NEW.server_seq IS NOT NULL AND {_SAME_CONTENT})"
_LEDGER_COPY = """(OLD.channel = 'program' AND NEW.channel = 'program' AND NEW.id IS OLD.id
    AND NEW.member_id IS OLD.member_id AND NEW.kind IS OLD.kind AND NEW.note IS OLD.note
    AND NEW.server_seq IS NOT NULL
    AND (OLD.server_seq IS NULL OR OLD.server_seq = NEW.server_seq))"""
_APPEND_ONLY = """
    CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries
    WHEN NOT ({allowed})
    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END"""
# As entries_keep_balance (0008) and rejections_leave_balance: stamps are no points, and an
# entry the ledger refused is not in the balance.
_REPLACED_BALANCE = """
    CREATE TRIGGER entries_replaced_keep_balance AFTER UPDATE OF points ON entries
    WHEN NEW.points IS NOT OLD.points AND NEW.kind <> 'stamp'
         AND NOT EXISTS (SELECT 1 FROM rejections WHERE entry_id = NEW.id)
    BEGIN UPDATE balances SET points = points + NEW.points - OLD.points
          WHERE member_id = NEW.member_id;
    END"""


def upgrade() -> None:
    op.execute("DROP TRIGGER entries_append_only_update")
    op.execute(_APPEND_ONLY.format(allowed=f"{_NUMBERED} OR {_LEDGER_COPY}"))
    op.execute(_REPLACED_BALANCE)


def downgrade() -> None:
    op.execute("DROP TRIGGER entries_replaced_keep_balance")
    op.execute("DROP TRIGGER entries_append_only_update")
    op.execute(_APPEND_ONLY.format(allowed=_NUMBERED))
