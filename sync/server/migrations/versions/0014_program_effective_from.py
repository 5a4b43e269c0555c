"""When each program version takes effect (DESIGN, the program engine, 8): the version in
force at a moment is the one with the latest ``effective_from`` by then, no longer simply
the latest published, so a version can be announced ahead of its time and an order is
judged by the version in force at its date. A version published before this took effect
when it was published.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("programs") as batch:
        batch.add_column(sa.Column("effective_from", sa.DateTime(timezone=True),
                                   nullable=True))
    op.execute("UPDATE programs SET effective_from = published_at")
    with op.batch_alter_table("programs") as batch:
        batch.alter_column("effective_from", existing_type=sa.DateTime(timezone=True),
                           nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("programs") as batch:
        batch.drop_column("effective_from")
