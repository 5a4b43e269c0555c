"""Named staff with their own PINs, the audit trail of what they did, and the person who
made each entry (issue 12: "one shared PIN; adjustments say only 'approved by manager'").

A kiosk that had the one shared manager PIN keeps it as a manager named "Manager", so the
counter opens with the same PIN after the upgrade; nothing to re-enter.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from kiosk.store.types import to_micros

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SHARED_PIN_OWNER = "Manager"


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.LargeBinary(16), primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("name_key", sa.String(40), nullable=False),  # casefolded: one Amy
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("pin_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        # wrong PINs typed for this person in a row, and when the last one was
        sa.Column("wrong_pins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_wrong_pin", sa.BigInteger, nullable=True),
    )
    # one active person per name (case-blind): "approved by Amy" names one person
    op.create_index("ux_staff_active_name", "staff", ["name_key"], unique=True,
                    sqlite_where=sa.text("active"))
    op.create_table(
        "audit_events",
        sa.Column("id", sa.LargeBinary(16), primary_key=True),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("staff", sa.String(40)),
        sa.Column("approved_by", sa.String(40)),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.add_column("entries", sa.Column("staff", sa.String(40), nullable=True))
    conn = op.get_bind()
    shared = conn.execute(sa.text(
        "SELECT value FROM settings WHERE key = 'manager_pin'")).scalar()
    if shared is not None:
        conn.execute(sa.text(
            "INSERT INTO staff (id, name, name_key, role, pin_hash, active, created_at) "
            "VALUES (:id, :name, :key, 'manager', :hash, 1, :at)"),
            {"id": uuid.uuid4().bytes, "name": SHARED_PIN_OWNER,
             "key": SHARED_PIN_OWNER.casefold(), "hash": shared,
             "at": to_micros(datetime.now(UTC))})
        conn.execute(sa.text("DELETE FROM settings WHERE key IN ('manager_pin', "
                             "'manager_pin_wrong', 'manager_pin_last_wrong')"))


def downgrade() -> None:
    op.drop_column("entries", "staff")
    op.drop_table("audit_events")
    op.drop_table("staff")
