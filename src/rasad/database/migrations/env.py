"""Alembic environment: runs the migrations on the connection rasad.database.store hands over."""

from __future__ import annotations

from alembic import context

from rasad.database.store import metadata

target_metadata = metadata
connection = context.config.attributes.get("connection")
if connection is None:  # run from the alembic command line
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
