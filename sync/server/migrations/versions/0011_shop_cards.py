"""Cards the shop replaces (issue 15 point 8): each card the ledger issues at the shop's
request, by the caller's request id, so a retry answers the same card. The shop issuer's
certificate is not made here: the ledger makes it in the transaction that first needs it
(``Devices.issuer``), or at start (``Devices.create_keys``), as signing needs its keys.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shop_cards",
        sa.Column("device_id", sa.String(64), primary_key=True),
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.Uuid, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("card_no", sa.String(12), nullable=False, unique=True),
        sa.Column("cancelled", sa.Text, nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("shop_cards")
