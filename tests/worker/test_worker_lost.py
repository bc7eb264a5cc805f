"""A training process killed outright (as the OOM killer does) fails its run with a reason."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from backend.models import Run
from backend.queue import TRAIN_RUN_TASK, make_celery
from tests.factories import paper_hyperparameters
from tests.worker.conftest import WorkerEnv
from tests.worker.graphs import small_cnn
from tests.worker.records import store_dataset, store_run
from tests.worker.test_celery_task import CELERY, ROOT, wait_for_terminal


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def wait_until_training(env: WorkerEnv, run_id: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with env.sessions() as session:
            if session.get_one(Run, run_id).epochs_completed >= 1:
                return
        time.sleep(0.2)
    raise TimeoutError(f"run {run_id} did not finish an epoch")


def test_a_killed_training_child_fails_the_run_with_a_reason(
    worker_env: WorkerEnv, tmp_path: Path
) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=4, size=16)
        run_id = store_run(session, dataset, small_cnn(16), paper_hyperparameters(epochs=500)).id
    log_path = tmp_path / "celery.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [str(CELERY), "-A", "worker.celery_app", "worker", "--concurrency", "1",
             "--max-tasks-per-child", "1", "--without-mingle", "--without-gossip"],
            cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        make_celery().send_task(TRAIN_RUN_TASK, args=[run_id])
        wait_until_training(worker_env, run_id)
        for child in children_of(worker.pid):
            os.kill(child, signal.SIGKILL)
        status = wait_for_terminal(worker_env, run_id, timeout=60)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    assert status == "failed", log_path.read_text()[-3000:]
    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert "killed before it could finish" in str(run.error_message)
        assert "out of memory" in str(run.error_message)
        assert run.epochs_completed < 500
