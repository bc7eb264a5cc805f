"""A worker whose lease was taken over stops training and records nothing more."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import update

from backend.models import Run
from tests.worker.conftest import WorkerEnv
from tests.worker.resume_helpers import EventWatcher, logged_events
from tests.worker.test_resume import slow_enough_run
from worker.training.job import run_training


def test_a_worker_that_lost_its_lease_stops_at_a_batch_and_records_nothing(
    worker_env: WorkerEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLSTUDIO_LEASE_SECONDS", "1.5")  # renewed every 0.5 s
    run_id = slow_enough_run(worker_env, epochs=8)
    taken: dict[str, Any] = {}

    def take_over(event: dict[str, Any]) -> None:
        # As the reaper and a second worker would after this one stalled past its lease.
        with worker_env.sessions() as session:
            session.execute(update(Run).where(Run.id == run_id).values(lease_owner="other"))
            session.commit()
        taken["at"] = time.monotonic()

    watcher = EventWatcher(worker_env, run_id, action=take_over, matches=lambda e: (
        e["type"] == "progress" and e["epoch"] == 2))
    watcher.start()
    watcher.ready.wait(10)
    run_training(run_id, worker_name="stalled")
    returned = time.monotonic()
    watcher.join(10)
    assert "at" in taken, "the run ended before the take-over"
    assert returned - taken["at"] < 5

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert (run.status, run.lease_owner) == ("running", "other")  # left to its new owner
        assert run.epochs_completed <= 2 and run.checkpoint_epoch <= 2
    events = logged_events(worker_env, run_id)
    assert [e["status"] for e in events if e["type"] == "status"] == ["running"]
