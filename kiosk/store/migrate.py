"""Bring the local store to the newest schema at start-up; cheap when already there."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

_SCRIPTS = Path(__file__).with_name("migrations")
KIOSK_HEAD = "0016"
"""The kiosk store's newest revision, so a start-up on an up-to-date store need not import
Alembic at all (a test keeps it equal to the scripts' head)."""


def _current(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        if "no such table" in str(exc.orig):  # a new database: no version table yet
            return None
        raise  # the disk or the database failed: not a reason to run the migrations


def upgrade(engine: Engine, scripts: Path = _SCRIPTS, head: str | None = None) -> None:
    """Migrate ``engine``'s database to the newest revision in ``scripts`` (the kiosk's by
    default; the ledger passes its own). With ``head`` known, an up-to-date database costs
    one query."""
    if head is not None and _current(engine) == head:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(scripts))
    newest = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == newest:
            return
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
