"""Celery entry points: thin, and they take ids (the database holds the truth)."""

from __future__ import annotations

from typing import Any

from backend.model_versions.formats import EXPORT_MODEL_TASK
from backend.queue import CONVERT_AUDIO_TASK, PREDICT_TASK, TRAIN_RUN_TASK
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


@celery_app.task(name=PREDICT_TASK, bind=True, acks_late=False)  # type: ignore[untyped-decorator]
def predict(self: Any, payload: dict[str, Any]) -> None:
    # Acknowledged on receipt: a request whose worker died is answered 503 by the API, never
    # run again minutes later for a caller who is gone. The reply goes to a Redis list.
    from worker.predict.reply import answer

    answer(self.request.id, payload)


@celery_app.task(name=EXPORT_MODEL_TASK)  # type: ignore[untyped-decorator]
def export_model(run_id: int, fmt: str) -> None:
    # A SavedModel or ONNX download's files, built once, on the first request for them.
    from worker.training.bundles import run_export

    run_export(run_id, fmt)
