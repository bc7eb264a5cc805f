"""run_training end to end, in-process: real SQLite, real Valkey, real Keras."""

from __future__ import annotations

import json
import time
from typing import Any

import keras
import numpy as np
import pytest
import redis
from sqlalchemy import select

from backend.events import run_channel
from backend.models import Run, RunEvent, RunMetric
from backend.runs.recorder import RunRecorder
from tests.factories import paper_graph, paper_hyperparameters
from tests.worker.conftest import WorkerEnv
from tests.worker.graphs import small_cnn
from tests.worker.records import new_images, store_dataset, store_run
from worker.training.callbacks import RecordEpochs
from worker.training.job import run_training

METRICS = {"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"}
TERMINAL = {"succeeded", "failed", "cancelled"}


def events_of(env: WorkerEnv, run_id: int) -> list[dict[str, Any]]:
    with env.sessions() as session:
        rows = session.scalars(select(RunEvent).where(RunEvent.run_id == run_id)
                               .order_by(RunEvent.seq))
        return [row.payload for row in rows]


def published(pubsub: Any) -> list[dict[str, Any]]:
    """Everything on the channel up to a terminal status (or 5 s of waiting)."""
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        # None also stands for the (ignored) subscribe confirmation: keep reading.
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
        if message is not None:
            messages.append(json.loads(message["data"]))
            if messages[-1].get("status") in TERMINAL:
                break
    return messages


def test_run_trains_records_each_epoch_and_saves_a_usable_model(worker_env: WorkerEnv) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=8, size=32)
        graph = paper_graph(3, size=32, architecture="MobileNetV2", hidden=32)
        run_id = store_run(session, dataset, graph, paper_hyperparameters(epochs=2)).id
    listener = redis.Redis.from_url(worker_env.broker_url).pubsub()
    listener.subscribe(run_channel(run_id))

    run_training(run_id, worker_name="test-worker")

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "succeeded", run.error_message
        assert run.worker == "test-worker" and run.started_at and run.finished_at
        assert run.epochs_completed == 2 and set(run.latest_metrics) == METRICS
        assert run.num_params and run.num_params > 2_000_000
        metrics = session.scalars(select(RunMetric).where(RunMetric.run_id == run_id)).all()
        assert {(m.key, m.step) for m in metrics} == {(k, s) for k in METRICS for s in (1, 2)}
        model_path = worker_env.storage / str(run.model_path)
    assert run.model_path == f"runs/{run_id}/model.keras"

    events = events_of(worker_env, run_id)
    epochs = [e for e in events if e["type"] == "epoch"]
    assert [(e["epoch"], e["epochs"]) for e in epochs] == [(1, 2), (2, 2)]
    assert all(set(e["metrics"]) == METRICS for e in epochs)
    assert [e["status"] for e in events if e["type"] == "status"] == ["running", "succeeded"]
    assert published(listener) == events  # the live channel carries the same events, in order
    listener.close()

    model = keras.saving.load_model(model_path)
    images = np.stack([np.asarray(im, dtype="float32") for im in new_images(5, 32)])
    predictions = model.predict(images, verbose=0)
    assert predictions.shape == (5, 3)
    np.testing.assert_allclose(predictions.sum(axis=1), 1.0, rtol=1e-4)
    assert not list(model_path.parent.glob("partial-*"))


def test_small_cnn_learns_the_colours(worker_env: WorkerEnv) -> None:
    hyperparameters = paper_hyperparameters(epochs=6)
    hyperparameters["optimizer"] = {"type": "adam", "learning_rate": 0.01}
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=8, size=16)
        run_id = store_run(session, dataset, small_cnn(16), hyperparameters).id

    run_training(run_id)

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "succeeded", run.error_message
        assert run.latest_metrics["val_accuracy"] == 1.0, run.latest_metrics


def test_missing_dataset_file_fails_naming_it_with_the_traceback_in_the_log(
    worker_env: WorkerEnv,
) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=4, size=16)
        run_id = store_run(session, dataset, small_cnn(16), paper_hyperparameters()).id
    (worker_env.storage / dataset.storage_path / "neutral" / "neutral_002.png").unlink()

    run_training(run_id)

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "failed"
        assert run.error_message is not None
        assert "neutral/neutral_002.png" in run.error_message
        assert "Traceback" in run.log and "DataError" in run.log
        assert run.finished_at is not None and run.model_path is None
    statuses = [e for e in events_of(worker_env, run_id) if e["type"] == "status"]
    assert [e["status"] for e in statuses] == ["running", "failed"]
    assert statuses[-1]["message"] == run.error_message


def test_graph_that_cannot_build_fails_the_run_naming_the_node(worker_env: WorkerEnv) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=2, size=32)
        graph = paper_graph(3, size=32, architecture="InceptionV3")
        run_id = store_run(session, dataset, graph, paper_hyperparameters()).id

    run_training(run_id)

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "failed"
        assert "'backbone'" in str(run.error_message) and "75x75" in str(run.error_message)
        assert "CompileError" in run.log


def test_output_units_that_do_not_match_the_classes_fail_clearly(worker_env: WorkerEnv) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=2, size=16)
        run_id = store_run(session, dataset, small_cnn(16, classes=5), paper_hyperparameters()).id

    run_training(run_id)

    with worker_env.sessions() as session:
        message = str(session.get_one(Run, run_id).error_message)
    assert "'output'" in message and "3 classes" in message


@pytest.mark.parametrize("status", ["running", "succeeded", "cancelled"])
def test_a_run_that_is_not_queued_is_left_alone(worker_env: WorkerEnv, status: str) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=2, size=16)
        run = store_run(session, dataset, small_cnn(16), paper_hyperparameters(), status=status)
        run_id, before = run.id, (run.status, run.started_at, run.worker, run.log)

    run_training(run_id)

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert (run.status, run.started_at, run.worker, run.log) == before
    assert events_of(worker_env, run_id) == []
    run_training(10_000)  # a run deleted since it was queued: nothing to do, no error


def test_an_unreadable_image_met_during_fit_fails_naming_it(worker_env: WorkerEnv) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=4, size=16)
        run_id = store_run(session, dataset, small_cnn(16), paper_hyperparameters()).id
    (worker_env.storage / dataset.storage_path / "stress" / "stress_001.png").write_bytes(b"?")

    run_training(run_id)

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
    assert run.status == "failed"
    assert "stress/stress_001.png" in str(run.error_message)
    assert run.error_message == "Could not read image 'stress/stress_001.png': not an image file"


def test_a_run_cancelled_during_training_stops_and_keeps_its_status(
    worker_env: WorkerEnv,
) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=2, size=16)
        run = store_run(session, dataset, small_cnn(16), paper_hyperparameters(),
                        status="running")
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    with worker_env.sessions() as worker_session:
        worker_run = worker_session.get_one(Run, run.id)
        progress = RecordEpochs(RunRecorder(worker_session, None), worker_run, epochs=5)
        model.stop_training = False  # as fit() starts it
        progress.set_model(model)
        progress.on_epoch_end(0, {"loss": 1.0, "accuracy": 0.5})
        assert not model.stop_training
        with worker_env.sessions() as api_session:  # the API cancels meanwhile
            api_session.get_one(Run, run.id).status = "cancelled"
            api_session.commit()
        progress.on_epoch_end(1, {"loss": 0.9, "accuracy": 0.6})
        assert model.stop_training and progress.ended_elsewhere
    with worker_env.sessions() as session:
        stored = session.get_one(Run, run.id)
        assert (stored.status, stored.epochs_completed) == ("cancelled", 2)
