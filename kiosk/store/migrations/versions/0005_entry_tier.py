"""An earn entry records the tier the counter earned it at: the input the ledger needs to
re-run the earn rule and check the points (DESIGN, the program engine, points 2 and 3).
Entries made before keep NULL; the ledger then finds the lowest tier that gives their
points and checks that one.

A member may be known only by a card another store issued (``profile_pending``): sales are
recorded against the card's member id until sync brings the name and phone.

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


def upgrade() -> None:
    # A plain ADD COLUMN: no table rebuild, so the triggers on entries stay as they are.
    op.add_column("entries", sa.Column("tier", sa.String(32), nullable=True))
    op.add_column("members", sa.Column("profile_pending", sa.Boolean, nullable=False,
                                       server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("members", "profile_pending")
    op.drop_column("entries", "tier")
