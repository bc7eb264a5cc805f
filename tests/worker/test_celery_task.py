"""The Celery entry point: registered under the API's task name, Keras-free until it runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from backend.models import Run
from backend.queue import TRAIN_RUN_TASK, make_celery
from tests.factories import paper_hyperparameters
from tests.worker.conftest import WorkerEnv
from tests.worker.graphs import small_cnn
from tests.worker.records import store_dataset, store_run

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"


def test_task_module_registers_the_task_without_importing_keras(worker_env: WorkerEnv) -> None:
    script = (
        "import sys, worker.tasks as t; "
        f"assert t.celery_app.tasks[{TRAIN_RUN_TASK!r}].name == t.train_run.name; "
        "assert 'keras' not in sys.modules and 'tensorflow' not in sys.modules, 'keras imported'; "
        "import os; print(os.environ['KERAS_BACKEND'], os.environ['TF_CPP_MIN_LOG_LEVEL'])"
    )
    env = {**os.environ, "DLSTUDIO_KERAS_BACKEND": "jax"}
    env.pop("KERAS_BACKEND", None)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["jax", "2"]


def test_a_celery_worker_trains_a_queued_run(worker_env: WorkerEnv, tmp_path: Path) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=4, size=16)
        run_id = store_run(session, dataset, small_cnn(16), paper_hyperparameters()).id
    log = (tmp_path / "celery.log").open("wb")
    worker = subprocess.Popen(
        [str(CELERY), "-A", "worker.celery_app", "worker", "--concurrency", "1",
         "--max-tasks-per-child", "1", "--without-mingle", "--without-gossip",
         "--loglevel", "INFO"],
        cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        make_celery().send_task(TRAIN_RUN_TASK, args=[run_id])
        status = wait_for_terminal(worker_env, run_id, timeout=120)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        log.close()
    assert status == "succeeded", (tmp_path / "celery.log").read_text()[-3000:]
    with worker_env.sessions() as session:
        assert str(session.get_one(Run, run_id).worker).startswith("celery@")


def wait_for_terminal(env: WorkerEnv, run_id: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with env.sessions() as session:
            status = session.get_one(Run, run_id).status
        if status in ("succeeded", "failed", "cancelled"):
            return status
        time.sleep(0.5)
    return "timed out"
