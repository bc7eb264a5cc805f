"""Hyperparameters in real runs (in-process run_training, tiny CNN on 16x16 images):
schedules as recorded per epoch, early stopping, class weights, the other losses."""

from __future__ import annotations

import math
from typing import Any

import keras
import numpy as np
import pytest
from sqlalchemy import select

from backend.models import Dataset, Run, RunEvent, RunMetric
from tests.worker.conftest import WorkerEnv
from tests.worker.graphs import small_cnn
from tests.worker.records import store_dataset, store_run
from worker.training.data import ImageBatches, ImageShape, stratified_split
from worker.training.job import run_training
from worker.training.loop import dataset_examples

# 8 per class, a quarter held out: 18 training images, batches of 8 -> 3 steps per epoch.
STEPS_PER_EPOCH = 3


def hyperparameters(**fields: Any) -> dict[str, Any]:
    return {"epochs": 4, "batch_size": 8, "validation_fraction": 0.25, "seed": 7,
            "optimizer": {"type": "adam", "learning_rate": 0.01}, **fields}


def train(env: WorkerEnv, hp: dict[str, Any], per_class: int = 8) -> int:
    with env.sessions() as session:
        dataset = store_dataset(session, env.storage, per_class=per_class, size=16)
        run_id = store_run(session, dataset, small_cnn(16), hp).id
    run_training(run_id)
    with env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "succeeded", run.error_message
    return run_id


def recorded(env: WorkerEnv, run_id: int, key: str) -> list[float]:
    with env.sessions() as session:
        rows = session.scalars(select(RunMetric).where(RunMetric.run_id == run_id,
                                                       RunMetric.key == key)
                               .order_by(RunMetric.step))
        return [row.value for row in rows]


def logs(env: WorkerEnv, run_id: int) -> list[str]:
    with env.sessions() as session:
        rows = session.scalars(select(RunEvent).where(RunEvent.run_id == run_id,
                                                      RunEvent.kind == "log"))
        return [row.payload["message"] for row in rows]


SCHEDULES = {
    "constant": ({"type": "constant"}, [0.01, 0.01, 0.01, 0.01]),
    "step": ({"type": "step", "every_epochs": 2, "factor": 0.5}, [0.01, 0.01, 0.005, 0.005]),
    # warm-up epoch 0 at half, then cosine from 0.01 (epoch 1) to 10% (epoch 3)
    "cosine": ({"type": "cosine", "min_fraction": 0.1, "warmup_epochs": 1},
               [0.005, 0.01, 0.01 * (0.1 + 0.9 * 0.5), 0.001]),
    # min_delta 10: no epoch after the first counts as better, so it cuts after
    # every epoch from the second on (patience 1), and never below min_lr
    "reduce_on_plateau": ({"type": "reduce_on_plateau", "monitor": "loss", "factor": 0.5,
                           "patience": 1, "min_delta": 10, "min_lr": 0.003},
                          [0.01, 0.01, 0.005, 0.003]),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_each_schedule_sets_the_learning_rate_recorded_per_epoch(
    worker_env: WorkerEnv, name: str
) -> None:
    schedule, expected = SCHEDULES[name]
    run_id = train(worker_env, hyperparameters(schedule=schedule))
    assert recorded(worker_env, run_id, "learning_rate") == pytest.approx(expected, rel=1e-5)


def test_keras2_decay_lowers_the_rate_every_step(worker_env: WorkerEnv) -> None:
    hp = hyperparameters(optimizer={"type": "adadelta", "learning_rate": 1.0, "decay": 0.01})
    run_id = train(worker_env, hp)
    steps = [STEPS_PER_EPOCH * epoch for epoch in range(1, 5)]
    expected = [1.0 / (1 + 0.01 * step) for step in steps]
    assert recorded(worker_env, run_id, "learning_rate") == pytest.approx(expected, rel=1e-5)


def validation_loss(env: WorkerEnv, run_id: int) -> float:
    """The saved model's loss on the run's own validation split, as Keras computed it."""
    with env.sessions() as session:
        run = session.get_one(Run, run_id)
        dataset = session.get_one(Dataset, run.dataset_id)
        _, val = stratified_split(dataset_examples(dataset, env.storage), 0.25, 7)
        model = keras.saving.load_model(env.storage / str(run.model_path))
    images, labels = ImageBatches(val, 3, ImageShape(16, 16, 3), 64, shuffle=False, seed=0)[0]
    probabilities = np.clip(model.predict(images, verbose=0), 1e-7, 1 - 1e-7)
    return float(-np.mean(np.log(probabilities[labels.astype(bool)])))


def test_early_stopping_stops_and_keeps_the_best_epochs_weights(worker_env: WorkerEnv) -> None:
    hp = hyperparameters(
        epochs=6, optimizer={"type": "adam", "learning_rate": 0.05},
        # min_delta 10: only the first epoch can count as an improvement
        early_stopping={"enabled": True, "monitor": "val_loss", "patience": 1,
                        "min_delta": 10, "restore_best": True},
    )
    run_id = train(worker_env, hp)
    with worker_env.sessions() as session:
        assert session.get_one(Run, run_id).epochs_completed == 2
    first, second = recorded(worker_env, run_id, "val_loss")
    assert abs(first - second) > 1e-3  # otherwise this test could not tell them apart
    assert validation_loss(worker_env, run_id) == pytest.approx(first, abs=1e-4)
    stopped = "Stopped early after epoch 2 of 6: val_loss had not improved for 1 epoch; " \
              "kept the weights of epoch 1"
    assert any(m.startswith(stopped) for m in logs(worker_env, run_id))


def test_balanced_class_weights_with_the_sparse_loss_on_an_imbalanced_set(
    worker_env: WorkerEnv,
) -> None:
    hp = hyperparameters(epochs=1, class_weights="balanced",
                         loss={"type": "sparse_categorical_crossentropy"})
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=8, size=16)
        for item in [i for i in dataset.items if i.label == "anger"][:5]:
            dataset.items.remove(item)  # 3 anger, 8 neutral, 8 stress
        session.commit()
        run_id = store_run(session, dataset, small_cnn(16), hp).id
    run_training(run_id)
    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "succeeded", run.error_message
    # Training split: anger 2, neutral 6, stress 6 -> 14 / (3 * n)
    assert "Class weights (balanced, from the training split): anger 2.33, neutral 0.778, " \
           "stress 0.778" in logs(worker_env, run_id)
    assert math.isfinite(recorded(worker_env, run_id, "loss")[0])


def test_focal_loss_with_label_smoothing_trains(worker_env: WorkerEnv) -> None:
    hp = hyperparameters(epochs=2, loss={"type": "focal", "gamma": 2.0, "alpha": 0.25,
                                         "label_smoothing": 0.1})
    run_id = train(worker_env, hp)
    losses = recorded(worker_env, run_id, "loss")
    assert len(losses) == 2 and all(math.isfinite(v) for v in losses)
    # Focal's (1-p)^gamma * alpha makes it far smaller than cross-entropy's ~ln(3) at the start.
    assert losses[0] < 0.5


def test_mixed_precision_on_a_cpu_worker_trains_in_float32_and_says_so(
    worker_env: WorkerEnv,
) -> None:
    from worker.training.precision import has_gpu

    run_id = train(worker_env, hyperparameters(epochs=1, mixed_precision=True))
    messages = logs(worker_env, run_id)
    if has_gpu():
        assert "Mixed precision: float16 compute, float32 weights and output" in messages
    else:
        assert ("Mixed precision needs a GPU; this worker has none, so training runs in float32"
                in messages)
    keras.mixed_precision.set_global_policy("float32")
