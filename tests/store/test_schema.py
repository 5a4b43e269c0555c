"""The store a kiosk runs on: migrated at start, durable settings, models matching it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kiosk.store import open_store
from kiosk.store.migrate import KIOSK_HEAD
from kiosk.store.models import Base


def test_migrations_build_exactly_the_schema_the_models_describe(tmp_path):
    store = open_store(tmp_path / "k.db")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    store.close()
    assert diff == []


def test_every_write_is_durable_wal_with_full_sync(kiosk):
    with kiosk.store.write() as tx:
        journal = tx.conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = tx.conn.exec_driver_sql("PRAGMA synchronous").scalar()
        fks = tx.conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    assert (journal, sync, fks) == ("wal", 2, 1)  # 2 is FULL


def test_reopening_a_store_keeps_its_data_at_the_current_schema(tmp_path, kiosk, member):
    from kiosk.app.bootstrap import bootstrap

    kiosk.store.close()
    reopened = bootstrap(tmp_path / "kiosk")
    with reopened.store.read() as tx:
        assert tx.entries.balance(member.member.id) == 50
        version = tx.conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == newest_revision()
    reopened.store.close()


def _alembic_config():
    from alembic.config import Config

    from kiosk.store.migrate import _SCRIPTS

    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def newest_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def test_the_start_up_shortcut_knows_the_newest_migration():
    from kiosk.store.migrate import KIOSK_HEAD

    assert newest_revision() == KIOSK_HEAD


def _migrate(engine, revision: str) -> None:
    from alembic import command

    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        if current > revision:
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)


def _outbox(kiosk) -> list[int]:
    with kiosk.store.read() as tx:
        return [seq for seq, _entry in tx.outbox.batch(100)]


def test_the_outbox_never_reuses_a_number_once_emptied_or_migrated(kiosk, member):
    """A number back at 1 would be one the ledger has already seen: it would take new sales
    for duplicates. The outbox keeps its last number when acknowledged (a tombstone row)
    and when migration 0004 rebuilds it (up and down)."""
    from datetime import UTC, datetime

    from kiosk.services import Sale, ring_up_sale, verify_store

    for i in range(3):
        ring_up_sale(kiosk, Sale(member.member.id, 100, f"M-{i}"))
    waiting = _outbox(kiosk)
    with kiosk.store.read() as tx:
        entries = [e for _, e in tx.outbox.batch(100)]
    with kiosk.store.write() as tx:  # the ledger acknowledged all of it, seqs and all
        tx.outbox.acknowledge([(e.id, 100 + i) for i, e in enumerate(entries)], [],
                                  waiting[-1], datetime.now(UTC))
    assert _outbox(kiosk) == []
    ring_up_sale(kiosk, Sale(member.member.id, 100, "after-ack"))
    assert _outbox(kiosk) == [waiting[-1] + 1]
    # Down to 0003 and back; on the way, the ledger acknowledges everything as 0003's code
    # did (deleting rows, so only sqlite_sequence remembers the number).
    engine = kiosk.store.engine
    kiosk.store.close()
    _migrate(engine, "0003")
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM outbox")
    _migrate(engine, KIOSK_HEAD)  # through 0004, which rebuilds the outbox
    ring_up_sale(kiosk, Sale(member.member.id, 100, "after-upgrade"))
    assert _outbox(kiosk) == [waiting[-1] + 2]
    assert verify_store(kiosk).ok
