"""Checks a prediction request, hands it to the predict worker and waits for its reply."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from typing import Any

import redis
from sqlalchemy.orm import Session

from backend.audio_recipe import load_recipe
from backend.broker import get_redis
from backend.errors import Conflict, DLStudioError, NotFound, ServiceUnavailable
from backend.models.dataset import Dataset
from backend.models.project import Project
from backend.models.run import Run, RunStatus
from backend.queue import (
    PREDICT_QUEUE,
    PREDICT_TASK,
    celery_client,
    predict_heartbeat_key,
    predict_reply_key,
)
from backend.runs import repository
from backend.settings import Settings

# A zip of many recordings takes a while on a CPU; longer than this and the caller gets 504.
PREDICT_TIMEOUT_S = 300.0
# BLPOP in slices: between them, a predict worker that died mid-request is noticed.
WAIT_SLICE_S = 2
NO_WORKER = (
    "No predict worker is running, so nothing can predict now. `dlstudio serve` starts one; "
    "elsewhere run `dlstudio predictor` (or `dlstudio worker --queues predict`)."
)


class PredictionFailed(DLStudioError):
    """The worker's own error body, passed on with its status."""

    def __init__(self, status_code: int, body: dict[str, Any]) -> None:
        error = body.get("error", {})
        super().__init__(str(error.get("message", "Prediction failed")))
        self.status_code = status_code
        self.code = str(error.get("code", "prediction_failed"))
        self._body = body

    def body(self) -> dict[str, Any]:
        return self._body


class PredictionTimeout(DLStudioError):
    status_code = 504
    code = "prediction_timeout"


def model_run(session: Session, project: Project, run_id: int, settings: Settings) -> Run:
    """The model version (a succeeded run with its model file), or 404 / 409."""
    run = repository.get(session, project.id, run_id)
    if run is None:
        raise NotFound(f"Model {run_id} does not exist (a model's id is its run's id)")
    if run.status != RunStatus.SUCCEEDED.value or not run.model_path:
        raise Conflict(
            f"Run {run_id} has no model to predict with: it is {run.status}; "
            "only a succeeded run has a stored model"
        )
    if not (settings.resolved_storage_dir / run.model_path).is_file():
        raise Conflict(f"The model file of run {run_id} is missing from storage")
    return run


def spectrogram_recipe(session: Session, dataset: Dataset) -> dict[str, Any] | None:
    """The recipe the dataset's images were rendered with, following relabelled versions up
    to the conversion that made them; None for a dataset not made from recordings."""
    seen: set[int] = set()
    current: Dataset | None = dataset
    while current is not None and current.id not in seen:
        seen.add(current.id)
        derivation = current.derivation or {}
        if derivation.get("type") == "spectrograms":
            return load_recipe(derivation.get("recipe")).model_dump(mode="json")
        current = session.get(Dataset, current.parent_id) if current.parent_id else None
    return None


def require_predict_worker(client: redis.Redis) -> None:
    try:
        alive = any(True for _ in client.scan_iter(predict_heartbeat_key("*"), count=100))
    except redis.RedisError as exc:
        raise ServiceUnavailable(f"The broker cannot be reached ({exc}); {NO_WORKER}") from None
    if not alive:
        raise ServiceUnavailable(NO_WORKER)


def predict(payload: dict[str, Any], timeout_s: float = PREDICT_TIMEOUT_S) -> dict[str, Any]:
    """Send the request to the predict queue and wait for its reply (or 503 / 504)."""
    client = get_redis()
    try:
        require_predict_worker(client)
        task_id = uuid.uuid4().hex
        # `expires`: a request nobody picked up in time is dropped, not run for nobody later.
        celery_client().send_task(
            PREDICT_TASK, args=[payload], queue=PREDICT_QUEUE, task_id=task_id,
            expires=timeout_s,
        )  # fmt: skip
        reply = _wait(client, task_id, timeout_s)
    finally:
        client.close()
    if reply["status"] != 200:
        raise PredictionFailed(int(reply["status"]), reply["body"])
    body: dict[str, Any] = reply["body"]
    return body


def _wait(client: redis.Redis, task_id: str, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    key = predict_reply_key(task_id)
    while time.monotonic() < deadline:
        popped = client.blpop([key], timeout=WAIT_SLICE_S)
        if popped is not None:
            reply: dict[str, Any] = json.loads(popped[1])
            return reply
        require_predict_worker(client)
    raise PredictionTimeout(f"The prediction did not finish within {timeout_s:.0f} s")


def as_csv(body: dict[str, Any]) -> str:
    """One row per file: name, predicted class, the probability of each class, segments."""
    classes: list[str] = body["classes"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "kind", "predicted", *(f"p_{c}" for c in classes), "segments"])
    for item in body["predictions"]:
        probs = [f"{item['probabilities'][c]:.6f}" for c in classes]
        writer.writerow([item["name"], item["kind"], item["predicted"], *probs,
                         item.get("segments") or ""])  # fmt: skip
    for skipped in body.get("skipped", []):
        writer.writerow([skipped["name"], "skipped", "", *([""] * len(classes)), ""])
    return out.getvalue()
