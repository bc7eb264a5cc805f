"""Celery entry points: thin, and they take ids (the database holds the truth)."""

from __future__ import annotations

from typing import Any

from backend.queue import TRAIN_RUN_TASK
from worker.celery_app import celery_app


@celery_app.task(name=TRAIN_RUN_TASK, bind=True)  # type: ignore[untyped-decorator]
def train_run(self: Any, run_id: int) -> None:
    # Imported here so the Celery parent process never loads Keras; only the
    # child that runs a job pays for it.
    from worker.training.job import run_training

    run_training(run_id, worker_name=self.request.hostname)
