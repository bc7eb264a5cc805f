"""Real Celery workers and live run events for the resume and cancel tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.events import progress_channel, run_channel
from backend.main import create_app
from backend.models import RunEvent
from tests.worker.conftest import WorkerEnv
from tests.worker.test_celery_task import CELERY, ROOT

# Short leases so a dead worker's run is picked up in seconds, not a minute.
FAST_LEASES = {"DLSTUDIO_LEASE_SECONDS": "3", "DLSTUDIO_REAPER_INTERVAL_S": "1"}


def start_worker(log_path: Path, name: str) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [str(CELERY), "-A", "worker.celery_app", "worker", "--concurrency", "1",
             "--max-tasks-per-child", "1", "--without-mingle", "--without-gossip",
             "--loglevel", "INFO", "-n", f"{name}@%h"],
            cwd=ROOT, env={**os.environ, **FAST_LEASES}, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )


def kill_group(worker: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """The whole worker, parent and training child, as a machine restart would."""
    try:
        os.killpg(worker.pid, sig)
    except ProcessLookupError:
        return
    worker.wait(timeout=30)


@contextmanager
def workers(log_path: Path, *names: str) -> Iterator[list[subprocess.Popen[bytes]]]:
    started = [start_worker(log_path, name) for name in names]
    try:
        yield started
    finally:
        for worker in started:
            kill_group(worker, signal.SIGTERM)


def wait_for_message(
    env: WorkerEnv, run_id: int, matches: Callable[[dict[str, Any]], bool], timeout: float,
) -> dict[str, Any]:
    """The first live event (logged or progress) that ``matches``."""
    pubsub = redis.Redis.from_url(env.broker_url).pubsub()
    pubsub.subscribe(run_channel(run_id), progress_channel(run_id))
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
            if message is not None and matches(payload := json.loads(message["data"])):
                return payload
    finally:
        pubsub.close()
    raise TimeoutError(f"run {run_id}: no matching event in {timeout} s")


class EventWatcher(threading.Thread):
    """Calls ``action`` once, on the first live event that ``matches``."""

    def __init__(self, env: WorkerEnv, run_id: int, matches: Callable[[dict[str, Any]], bool],
                 action: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(daemon=True)
        self.env, self.run_id, self.matches, self.action = env, run_id, matches, action
        self.error: BaseException | None = None
        self.ready = threading.Event()

    def run(self) -> None:
        try:
            pubsub = redis.Redis.from_url(self.env.broker_url).pubsub()
            pubsub.subscribe(run_channel(self.run_id), progress_channel(self.run_id))
            pubsub.get_message(timeout=1)  # the subscribe confirmations
            pubsub.get_message(timeout=1)
            self.ready.set()
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
                if message is not None and self.matches(payload := json.loads(message["data"])):
                    self.action(payload)
                    return
        except BaseException as exc:
            self.error = exc
        finally:
            self.ready.set()


def logged_events(env: WorkerEnv, run_id: int) -> list[dict[str, Any]]:
    with env.sessions() as session:
        rows = session.scalars(
            select(RunEvent).where(RunEvent.run_id == run_id).order_by(RunEvent.seq)
        )
        return [row.payload for row in rows]


def sse_events(run_id: int) -> list[tuple[str | None, str, dict[str, Any]]]:
    """What a fresh browser reads from the real SSE endpoint of a finished run:
    (id, event type, data) for each event."""
    with TestClient(create_app()) as client:
        response = client.get(f"/api/runs/{run_id}/events")
        assert response.status_code == 200, response.text
    events = []
    for block in response.text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines()
                      if ": " in line and not line.startswith(":"))
        if "data" in fields:
            events.append((fields.get("id"), fields["event"], json.loads(fields["data"])))
    return events
