"""Bring the local store to the newest schema at start-up; cheap when already there."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

_SCRIPTS = Path(__file__).with_name("migrations")


def upgrade(engine: Engine, scripts: Path = _SCRIPTS) -> None:
    """Migrate ``engine``'s database to the newest revision in ``scripts`` (the kiosk's by
    default; the ledger passes its own)."""
    from alembic import command

    config = Config()
    config.set_main_option("script_location", str(scripts))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head:
            return
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
