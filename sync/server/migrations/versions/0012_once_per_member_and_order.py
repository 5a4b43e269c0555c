"""A sign-up bonus once per member, and an order's stamps once per card (the authority
review): both passed the audit under any number of fresh ids (a stolen token minted 50
points an entry, or stamps that then filled cards), as an order's bonus did before 0006.
The database keeps one of each, whatever the ids.

A ledger that already holds such copies keeps the first (by seq); the later ones, which
no honest kiosk makes, are retagged ``<note> (duplicate <seq>)`` so the indexes can be
built: a retagged stamp entry no longer counts on its card, and a sign-up bonus's points
stay in the balance (an adjustment is the operator's to make).

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

SIGNUP = "kind = 'bonus' AND note = 'signup'"
STAMP = "kind = 'stamp' AND order_ref IS NOT NULL AND reverses IS NULL"


def _retag_copies(where: str, partition: str) -> None:
    op.execute(
        "UPDATE entries SET note = note || ' (duplicate ' || CAST(seq AS TEXT) || ')' "
        "WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER "
        f"(PARTITION BY {partition} ORDER BY seq) AS n FROM entries WHERE {where}) AS r "
        "WHERE r.n > 1)")


def upgrade() -> None:
    _retag_copies(SIGNUP, "member_id")
    _retag_copies(STAMP, "channel, order_ref, note")
    op.create_index("ux_entries_signup", "entries", ["member_id"], unique=True,
                    postgresql_where=sa.text(SIGNUP), sqlite_where=sa.text(SIGNUP))
    op.create_index("ux_entries_order_stamp", "entries", ["channel", "order_ref", "note"],
                    unique=True, postgresql_where=sa.text(STAMP), sqlite_where=sa.text(STAMP))


def downgrade() -> None:
    op.drop_index("ux_entries_order_stamp", "entries")
    op.drop_index("ux_entries_signup", "entries")
