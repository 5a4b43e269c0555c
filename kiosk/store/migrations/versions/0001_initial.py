"""Initial kiosk store: device, program, trust, members, cards, ledger, outbox, balances.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UUID = sa.LargeBinary(16)
MICROS = sa.BigInteger()


def upgrade() -> None:
    op.create_table(
        "device",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("store_name", sa.String(200), nullable=False),
        sa.Column("created_at", MICROS, nullable=False),
        sa.Column("signing_key", sa.LargeBinary(32), nullable=False),
        sa.Column("certificate", sa.Text, nullable=False),
        sa.Column("root_public_key", sa.LargeBinary(32), nullable=False),
        sa.Column("next_card_serial", sa.Integer, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "program_versions",
        sa.Column("version", sa.String(40), primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("installed_at", MICROS, nullable=False),
    )
    op.create_table(
        "certificates",
        sa.Column("key_id", sa.String(8), primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "revoked_cards",
        sa.Column("card_no", sa.String(12), primary_key=True),
        sa.Column("revoked_at", MICROS, nullable=False),
    )
    op.create_table(
        "members",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("birthday", sa.Date),
        sa.Column("enrolled_at", MICROS, nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("referrer_id", UUID),
        sa.Column("consent", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_members_phone", "members", ["phone"])
    op.create_table(
        "cards",
        sa.Column("card_no", sa.String(12), primary_key=True),
        sa.Column("member_id", UUID, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("key_id", sa.String(8), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("issued_at", MICROS, nullable=False),
    )
    op.create_index("ix_cards_member_id", "cards", ["member_id"])
    op.create_table(
        "entries",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("member_id", UUID, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("amount_minor", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("order_ref", sa.String(64)),
        sa.Column("program_version", sa.String(40), nullable=False),
        sa.Column("occurred_at", MICROS, nullable=False),
        sa.Column("reverses", UUID, sa.ForeignKey("entries.id")),
        sa.Column("reward_id", sa.String(32)),
        sa.Column("note", sa.Text),
        sa.Column("server_seq", sa.Integer),
    )
    op.create_index("ix_entries_member_time", "entries",
                    ["member_id", "occurred_at", "amount_minor"])
    op.create_index("ix_entries_order", "entries", ["order_ref"])
    # Partial, so the NULLs every new local entry has cost nothing on the sale's path.
    op.create_index("ux_entries_reverses", "entries", ["reverses"], unique=True,
                    sqlite_where=sa.text("reverses IS NOT NULL"))
    op.create_index("ux_entries_server_seq", "entries", ["server_seq"], unique=True,
                    sqlite_where=sa.text("server_seq IS NOT NULL"))
    op.create_index("ux_entries_sale_order", "entries", ["channel", "order_ref"], unique=True,
                    sqlite_where=sa.text("kind = 'earn' AND order_ref IS NOT NULL"))
    op.create_table(
        "outbox",
        sa.Column("device_seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", UUID, sa.ForeignKey("entries.id"), nullable=False, unique=True),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "balances",
        sa.Column("member_id", UUID, sa.ForeignKey("members.id"), primary_key=True),
        sa.Column("points", sa.Integer, nullable=False),
    )
    # The ledger's invariants live in the database, so no code path can forget them:
    # the cached balance moves in the same statement as the entry, and entries are never
    # edited or removed (only the server's seq may be filled in once, on acknowledgement).
    op.execute("""
        CREATE TRIGGER entries_keep_balance AFTER INSERT ON entries BEGIN
            INSERT INTO balances (member_id, points) VALUES (NEW.member_id, NEW.points)
            ON CONFLICT (member_id) DO UPDATE SET points = points + excluded.points;
        END""")
    op.execute("""
        CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries
        WHEN NOT (OLD.server_seq IS NULL AND NEW.server_seq IS NOT NULL
                  AND NEW.id IS OLD.id AND NEW.member_id IS OLD.member_id
                  AND NEW.kind IS OLD.kind AND NEW.points IS OLD.points
                  AND NEW.amount_minor IS OLD.amount_minor AND NEW.channel IS OLD.channel
                  AND NEW.order_ref IS OLD.order_ref
                  AND NEW.program_version IS OLD.program_version
                  AND NEW.occurred_at IS OLD.occurred_at AND NEW.reverses IS OLD.reverses
                  AND NEW.reward_id IS OLD.reward_id AND NEW.note IS OLD.note)
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END""")
    op.execute("""
        CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END""")


def downgrade() -> None:
    for trigger in ("entries_keep_balance", "entries_append_only_update",
                    "entries_append_only_delete"):
        op.execute(f"DROP TRIGGER {trigger}")
    for table in ("balances", "outbox", "entries", "cards", "members", "revoked_cards",
                  "certificates", "program_versions", "settings", "device"):
        op.drop_table(table)
