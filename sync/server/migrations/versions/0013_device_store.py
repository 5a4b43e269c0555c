"""The store each kiosk stands in (an adversarial review's finding): promotions limited to
some stores are judged with the store the ledger has for the device, recorded when the
kiosk pairs or by ``kiosk ledger add-device --store`` / ``device-store``, not with the
store an uploaded order names (any kiosk's token could name the flagship).

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


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("store_name", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("store_name")
