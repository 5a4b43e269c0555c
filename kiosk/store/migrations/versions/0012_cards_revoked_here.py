"""Lost cards (issue 15): a card this kiosk revokes when it reissues a member's card is kept
with its member and waits to be sent to the ledger (``on_ledger`` 0), which tells every
other kiosk; the ones the ledger told this kiosk of are on the ledger already.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revoked_cards") as batch:
        batch.add_column(sa.Column("member_id", sa.LargeBinary(16), nullable=True))
        batch.add_column(sa.Column("on_ledger", sa.Boolean, nullable=False,
                                   server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("revoked_cards") as batch:
        batch.drop_column("on_ledger")
        batch.drop_column("member_id")
