"""The migrated schema is exactly the ORM's, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import backend.models  # noqa: F401
from backend.db.base import Base
from backend.db.migrate import alembic_config
from tests.conftest import TEST_DATABASE_SERVER


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    if not TEST_DATABASE_SERVER:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"dlstudio_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(TEST_DATABASE_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(TEST_DATABASE_SERVER).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_produce_exactly_the_orm_schema(empty_database: str) -> None:
    command.upgrade(alembic_config(empty_database), "head")
    engine = create_engine(empty_database)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
        projects = connection.execute(text("SELECT slug FROM projects")).scalars().all()
    engine.dispose()
    assert differences == []
    assert projects == ["default"]


def test_migrations_downgrade_to_nothing_and_back(empty_database: str) -> None:
    config = alembic_config(empty_database)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
