"""The store a kiosk runs on: migrated at start, durable settings, models matching it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kiosk.store import open_store
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
    from kiosk.bootstrap import bootstrap

    kiosk.store.close()
    reopened = bootstrap(tmp_path / "kiosk")
    with reopened.store.read() as tx:
        assert tx.balance(member.member.id) == 50
        version = tx.conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == newest_revision()
    reopened.store.close()


def newest_revision() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from kiosk.store.migrate import _SCRIPTS

    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_the_start_up_shortcut_knows_the_newest_migration():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from kiosk.store.migrate import _SCRIPTS, KIOSK_HEAD

    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    assert ScriptDirectory.from_config(config).get_current_head() == KIOSK_HEAD
