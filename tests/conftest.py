"""Real parts only: a real database (SQLite, or PostgreSQL when DLSTUDIO_TEST_DATABASE_URL
names a server), a real broker (embedded Valkey started by `dlstudio serve`, or Redis when
DLSTUDIO_TEST_BROKER_URL is set), a real Celery worker and a real HTTP server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
DLSTUDIO = Path(sys.executable).parent / "dlstudio"
TEST_DATABASE_SERVER = os.environ.get("DLSTUDIO_TEST_DATABASE_URL")
TEST_BROKER_URL = os.environ.get("DLSTUDIO_TEST_BROKER_URL")
STACK_START_TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The PostgreSQL run (make test-postgres) repeats only what can differ there: tests that reach
# the database through the live stack or a fresh database. Keras builds, metric maths and the
# like behave the same on both runs, and the browser tests drive the same API calls the API
# tests make; repeating them would double CI's time for nothing.
DATABASE_FIXTURES = frozenset({"database_url", "stack", "db", "client"})
DATABASE_MODULES = frozenset({"test_migrations.py"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not TEST_DATABASE_SERVER:
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        touches_db = bool(fixtures & DATABASE_FIXTURES) or item.path.name in DATABASE_MODULES
        in_browser = item.path.parent.name == "browser"
        # Long trainings (the paper's four networks) store what the API tests already store.
        slow = item.get_closest_marker("slow") is not None
        (kept if touches_db and not in_browser and not slow else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@contextmanager
def fresh_database(sqlite_dir: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if not TEST_DATABASE_SERVER:
        yield f"sqlite:///{sqlite_dir / 'dlstudio.db'}"
        return
    name = f"dlstudio_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(TEST_DATABASE_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield (
            make_url(TEST_DATABASE_SERVER).set(database=name).render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@dataclass
class Stack:
    base_url: str
    var_dir: Path
    database_url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def stack_env(var_dir: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DLSTUDIO_VAR_DIR=str(var_dir),
        DLSTUDIO_DATABASE_URL=database_url,
        DLSTUDIO_ENVIRONMENT="test",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONUNBUFFERED="1",
    )
    env.pop("DLSTUDIO_BROKER_URL", None)
    if TEST_BROKER_URL:
        import redis

        redis.Redis.from_url(TEST_BROKER_URL).flushdb()  # no stale tasks from an earlier run
        env["DLSTUDIO_BROKER_URL"] = TEST_BROKER_URL
    return env


def wait_healthy(base_url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dlstudio serve exited with {process.returncode}")
        try:
            body = httpx.get(f"{base_url}/api/health", timeout=5).json()
            last = str(body)
            if body.get("status") == "ok":
                return
        except (httpx.HTTPError, ValueError) as exc:
            last = repr(exc)
        time.sleep(0.5)
    raise TimeoutError(f"the stack did not become healthy in {timeout} s: {last}")


def stop_process_group(process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Stack]:
    var_dir = tmp_path_factory.mktemp("var")
    port = free_port()
    env = stack_env(var_dir, database_url)
    log_path = var_dir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(DLSTUDIO), "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stack = Stack(f"http://127.0.0.1:{port}", var_dir, database_url, env, process, log_path)
    try:
        wait_healthy(stack.base_url, process, STACK_START_TIMEOUT_S)
    except Exception:
        stop_process_group(process)
        pytest.fail(f"dlstudio serve did not start:\n{stack.log_tail()}")
    yield stack
    stop_process_group(process)


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.base_url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def db(stack: Stack) -> Iterator[sessionmaker[Session]]:
    """Direct database access, to check what the API stored (or did not)."""
    engine = create_engine(stack.database_url)
    yield sessionmaker(bind=engine)
    engine.dispose()
