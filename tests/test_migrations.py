"""The migrated schema is exactly the ORM's, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

import backend.models  # noqa: F401
from backend.db.base import Base
from backend.db.migrate import alembic_config
from tests.conftest import fresh_database


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    with fresh_database(tmp_path) as url:
        yield url


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
