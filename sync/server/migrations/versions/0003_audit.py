"""The ledger audits what devices upload: an earn entry records the tier it was earned at
(the input the ledger re-runs the earn rule with), every entry the ledger's clock when it
arrived, and a rejection keeps its reason code, so rejections can be listed and counted
per device (``kiosk ledger rejections``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("entries", sa.Column("tier", sa.String(32), nullable=True))
    # The ledger's own clock when the entry arrived (entries from before stay NULL): the
    # device's clock dates the entry, this says when the ledger first heard of it.
    op.add_column("entries", sa.Column("received_at", sa.DateTime(timezone=True),
                                       nullable=True))
    op.add_column("receipts", sa.Column("code", sa.String(40), nullable=True))
    # A member a kiosk knew only by a card another store issued, until that store's
    # upload brings the profile.
    op.add_column("members", sa.Column("profile_pending", sa.Boolean, nullable=False,
                                       server_default=sa.false()))
    # Rejections are few: a partial index lists them per device without a scan.
    op.create_index("ix_receipts_rejected", "receipts", ["device_id", "device_seq"],
                    postgresql_where=sa.text("status = 'rejected'"),
                    sqlite_where=sa.text("status = 'rejected'"))


def downgrade() -> None:
    op.drop_index("ix_receipts_rejected", "receipts")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("profile_pending")
    with op.batch_alter_table("receipts") as batch:
        batch.drop_column("code")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("received_at")
        batch.drop_column("tier")
