"""Coupons used at checkout (issue 15): a coupon this kiosk took records the order that
used it, so the member screen stops listing it and the same kiosk never takes it twice
(the ledger decides across channels; a second use elsewhere while offline is reported).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("coupons") as batch:
        batch.add_column(sa.Column("used_at", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("used_by", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("coupons") as batch:
        batch.drop_column("used_by")
        batch.drop_column("used_at")
