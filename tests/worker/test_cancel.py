"""Cancel through the real API while the real worker code trains (in-process)."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.main import create_app
from backend.models import Run, RunMetric
from tests.worker.conftest import WorkerEnv
from tests.worker.resume_helpers import EventWatcher, logged_events
from tests.worker.test_resume import slow_enough_run
from tests.worker.test_resume_reaper import runs
from worker.training.checkpoints import checkpoint_dir
from worker.training.job import run_training

PHASES_UNTIL_TRAINING = [
    "loading data",
    "compiling the model",
    "preparing the first step (tracing; 10-20 s on CPU)",
    "training",
]


def test_a_running_run_cancelled_stops_within_seconds_and_keeps_its_weights(
    worker_env: WorkerEnv,
) -> None:
    run_id = slow_enough_run(worker_env, epochs=6)
    asked: dict[str, Any] = {}
    # The app is built before training starts, so the cancel leaves the moment it is due
    # (building it inside the callback took longer than a cached-pixel epoch).
    api = TestClient(create_app())
    api.__enter__()

    def cancel(event: dict[str, Any]) -> None:
        asked["at"] = time.monotonic()
        asked["response"] = api.post(f"/api/runs/{run_id}/cancel")
        asked["event"] = event

    watcher = EventWatcher(worker_env, run_id, action=cancel, matches=lambda e: (
        e["type"] == "progress" and e["epoch"] == 2 and e["batch"] >= 1))
    watcher.start()
    watcher.ready.wait(10)
    try:
        run_training(run_id, worker_name="test-worker")
    finally:
        returned = time.monotonic()
        watcher.join(10)
        api.__exit__(None, None, None)
    assert watcher.error is None and "response" in asked, "the run ended before the cancel"

    response = asked["response"]
    assert response.status_code == 202, response.text
    assert response.json()["cancel_requested"] is True
    assert returned - asked["at"] < 5  # stopped at a batch boundary, not at the end of the run
    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "cancelled" and run.phase is not None
        # Asked during epoch 2; epochs of cached pixels last about a second, so the batch-end
        # check (every 0.5 s) may land in a later epoch: "within seconds" is what counts.
        cut = re.fullmatch(r"cancelled at epoch (\d+) batch \d+", run.phase)
        assert cut is not None, run.phase
        cut_epoch = int(cut.group(1))
        assert cut_epoch in (2, 3, 4) and run.epochs_completed == cut_epoch - 1
        # The row's copy of the progress is refreshed about once a second.
        assert run.progress is not None and 2 <= run.progress["epoch"] <= cut_epoch
        assert "cores" in str(run.device) or "GPU:" in str(run.device)
        steps = {m.step for m in session.scalars(
            select(RunMetric).where(RunMetric.run_id == run_id))}
        assert steps == set(range(1, cut_epoch))  # the cut epoch is not an epoch
    state = json.loads((checkpoint_dir(worker_env.storage, run_id) / "latest.json").read_text())
    assert state["epoch"] == cut_epoch - 1 and state["batches_into_next_epoch"] >= 1
    assert (checkpoint_dir(worker_env.storage, run_id) / state["model_file"]).is_file()

    events = logged_events(worker_env, run_id)
    assert [e["status"] for e in events if e["type"] == "status"] == ["running", "cancelled"]
    phases = [e["phase"] for e in events if e["type"] == "phase"]
    assert phases[:4] == PHASES_UNTIL_TRAINING
    assert phases[-2:] == ["saving the model", run.phase]
    assert any("Cancel requested" in e.get("message", "") for e in events)
    epoch = next(e for e in events if e["type"] == "epoch")
    assert epoch["seconds"] > 0 and epoch["images_per_second"] > 0
    with TestClient(create_app()) as api:
        download = api.get(f"/api/runs/{run_id}/model")  # what was learned, downloadable
        assert download.status_code == 200 and len(download.content) > 1000
        again = api.post(f"/api/runs/{run_id}/cancel")
    assert again.status_code == 409
    assert again.json()["error"]["message"] == (
        f"Run {run_id} has already been cancelled; only a queued or running run can be cancelled")


def test_a_queued_run_cancelled_never_starts(worker_env: WorkerEnv) -> None:
    (run_id,) = runs(worker_env, 1)
    with TestClient(create_app()) as api:
        response = api.post(f"/api/runs/{run_id}/cancel")
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "cancelled"
    assert response.json()["phase"] == "cancelled before it started"
    run_training(run_id, worker_name="test-worker")  # its message arrives after all
    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "cancelled" and run.started_at is None and run.worker is None
    assert [e["status"] for e in logged_events(worker_env, run_id)
            if e["type"] == "status"] == ["cancelled"]


def test_the_queue_lists_waiting_runs_with_their_position(worker_env: WorkerEnv) -> None:
    first, second, third = runs(worker_env, 3)
    with TestClient(create_app()) as api:
        api.post(f"/api/runs/{second}/cancel")
        body = api.get("/api/runs/queue").json()
    assert [(q["position"], q["run"]["id"]) for q in body["queued"]] == [(1, first), (2, third)]
    assert body["queued_total"] == 2 and body["running"] == []
