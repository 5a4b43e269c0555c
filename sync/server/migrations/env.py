"""Alembic environment for the central ledger: runs on the connection the service hands
over (PostgreSQL or SQLite; batch mode so SQLite can alter tables)."""

from __future__ import annotations

from alembic import context

from sync.server.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("ledger migrations run through sync.server.db, not the alembic CLI")

context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
