"""A worker killed mid-run: another worker resumes from the last complete epoch.

Real Celery workers (subprocesses) on the test Valkey and SQLite; leases of 3 s
so the reaper notices the dead worker in seconds.
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from backend.models import Run, RunMetric
from backend.queue import TRAIN_RUN_TASK, make_celery
from tests.factories import paper_hyperparameters
from tests.worker.conftest import WorkerEnv
from tests.worker.graphs import small_cnn
from tests.worker.records import store_dataset, store_run
from tests.worker.resume_helpers import (
    kill_group,
    logged_events,
    sse_events,
    start_worker,
    wait_for_message,
    workers,
)
from tests.worker.test_celery_task import wait_for_terminal
from worker.training.checkpoints import checkpoint_dir

METRICS = {"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"}


def slow_enough_run(env: WorkerEnv, epochs: int = 3) -> int:
    """Epochs of a second or more (batch 2 over ~340 tiny images), so a test can act
    inside one; the model is a 2-layer CNN on 16x16 images."""
    with env.sessions() as session:
        dataset = store_dataset(session, env.storage, per_class=150, size=16)
        return store_run(session, dataset, small_cnn(16),
                         paper_hyperparameters(epochs=epochs, batch_size=2)).id


@pytest.mark.parametrize("backend", ["tensorflow", "torch"])
def test_a_killed_worker_s_run_resumes_from_the_last_checkpoint_on_a_new_worker(
    worker_env: WorkerEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed")
    monkeypatch.setenv("KERAS_BACKEND", backend)  # the workers' backend
    run_id = slow_enough_run(worker_env)
    log = tmp_path / "celery.log"
    first = start_worker(log, "first")
    try:
        make_celery().send_task(TRAIN_RUN_TASK, args=[run_id])
        during = wait_for_message(
            worker_env, run_id, timeout=180,
            matches=lambda e: e["type"] == "progress" and e["epoch"] == 2
            and e["batch"] < e["batches"] // 2,
        )
        kill_group(first)  # parent and training child: no chance to record anything
    finally:
        kill_group(first)
    with worker_env.sessions() as session:
        dead = session.get_one(Run, run_id)
        assert (dead.status, dead.checkpoint_epoch, dead.epochs_completed) == ("running", 1, 1), (
            f"killed at {during}; {log.read_text()[-3000:]}")
        killed_at_batch = during["batch"]
    state = json.loads((checkpoint_dir(worker_env.storage, run_id) / "latest.json").read_text())
    assert state["epoch"] == 1

    with workers(log, "second"):
        status = wait_for_terminal(worker_env, run_id, timeout=180)
    assert status == "succeeded", log.read_text()[-4000:]

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.attempt == 1 and run.epochs_completed == 3 and run.checkpoint_epoch == 3
        assert run.worker is not None and run.worker.startswith("second@")
        assert f"({backend})" in str(run.device)
        rows = session.scalars(select(RunMetric).where(RunMetric.run_id == run_id)).all()
    steps = sorted((m.step, m.key) for m in rows)
    assert steps == sorted((s, k) for s in (1, 2, 3) for k in METRICS)  # each epoch once

    events = logged_events(worker_env, run_id)
    assert [e["epoch"] for e in events if e["type"] == "epoch"] == [1, 2, 3]
    resumed = [e for e in events if e["type"] == "resumed"]
    assert [(e["from_epoch"], e["attempt"]) for e in resumed] == [(1, 1)]
    statuses = [(e["status"], e.get("message") or "") for e in events if e["type"] == "status"]
    assert [s for s, _ in statuses] == ["running", "queued", "running", "succeeded"]
    assert "stopped answering" in statuses[1][1] and "from epoch 1" in statuses[2][1]
    # Epoch 2 was trained by the second attempt: after "resumed", from the epoch-1 checkpoint.
    order = [e["type"] for e in events]
    epoch_2 = next(i for i, e in enumerate(events) if e.get("epoch") == 2 and e["type"] == "epoch")
    assert order.index("resumed") < epoch_2
    assert any("Resumed from the checkpoint of epoch 1" in e.get("message", "") for e in events)
    assert killed_at_batch >= 1

    # A browser opening the run now reads a clean history: ids rising, each epoch once.
    fresh = sse_events(run_id)
    ids = [int(i) for i, _, _ in fresh if i is not None]
    assert ids == sorted(set(ids))
    assert [d["epoch"] for _, kind, d in fresh if kind == "epoch"] == [1, 2, 3]


def test_two_workers_given_one_run_twice_train_it_once(
    worker_env: WorkerEnv, tmp_path: Path
) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=4, size=16)
        run_id = store_run(session, dataset, small_cnn(16), paper_hyperparameters(epochs=1)).id
    log = tmp_path / "celery.log"
    with workers(log, "one", "two"):
        client = make_celery()
        client.send_task(TRAIN_RUN_TASK, args=[run_id])
        client.send_task(TRAIN_RUN_TASK, args=[run_id])
        status = wait_for_terminal(worker_env, run_id, timeout=180)
        time.sleep(2)  # let the second delivery be looked at and skipped
    assert status == "succeeded", log.read_text()[-3000:]
    events = logged_events(worker_env, run_id)
    assert [e["status"] for e in events if e["type"] == "status"] == ["running", "succeeded"]
    assert [e["epoch"] for e in events if e["type"] == "epoch"] == [1]
    assert log.read_text().count("not queued; skipping this delivery") == 1
