"""A donation counts in the offline floor as a redemption does: the day's sum and the count
waiting for the ledger read both kinds (a member gave the day's limit again and again
offline, each gift held to the floor but none counted in it). The waiting count reads its
own index (migration 0011), which held redemptions only; it now holds donations too, and
still only entries not yet numbered by the ledger, so a sale writes nothing more.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX ix_entries_pending_redeem")
    op.execute("CREATE INDEX ix_entries_pending_spend ON entries (id) "
               "WHERE kind IN ('redeem', 'donate') AND server_seq IS NULL")


def downgrade() -> None:
    op.execute("DROP INDEX ix_entries_pending_spend")
    op.execute("CREATE INDEX ix_entries_pending_redeem ON entries (id) "
               "WHERE kind = 'redeem' AND server_seq IS NULL")
