"""Alembic environment: runs on the connection the kiosk hands over (never opens its own),
in batch mode so SQLite can alter tables."""

from __future__ import annotations

from alembic import context

from kiosk.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("kiosk migrations run through kiosk.store.migrate, not the alembic CLI")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
