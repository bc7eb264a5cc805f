"""Celery entry points: thin, and they take ids (the database holds the truth)."""

from __future__ import annotations

from typing import Any

from backend.queue import CONVERT_AUDIO_TASK, TRAIN_RUN_TASK
from worker.celery_app import celery_app


@celery_app.task(name=TRAIN_RUN_TASK, bind=True)  # type: ignore[untyped-decorator]
def train_run(self: Any, run_id: int) -> None:
    # Imported here so the Celery parent process never loads Keras; only the
    # child that runs a job pays for it.
    from worker.training.job import run_training

    run_training(run_id, worker_name=self.request.hostname)


@celery_app.task(name=CONVERT_AUDIO_TASK)  # type: ignore[untyped-decorator]
def convert_audio(conversion_id: int) -> None:
    from worker.audio.job import run_conversion

    run_conversion(conversion_id)
