"""Evaluation at the end of training: the best checkpoint (lowest val_loss) on the test
part, written as evaluation.json + predictions.json and summarised on the run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import keras
import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Dataset, Run, RunEvent, RunMetric
from tests.worker.conftest import WorkerEnv
from tests.worker.graphs import chain_dict, image_input, node, small_cnn, softmax
from tests.worker.records import store_dataset, store_run
from worker.training.evaluation import BestWeights
from worker.training.job import run_training

HYPERPARAMETERS = {"epochs": 4, "batch_size": 4, "seed": 3,
                   "optimizer": {"type": "adam", "learning_rate": 0.05}}  # fmt: skip
# A linear classifier of the mean colour: no BatchNorm, whose inference statistics
# settle over the first epochs and would make val_loss fall whatever the labels.
MEAN_COLOUR = chain_dict(image_input(16), node("scale", "Rescaling"),
                         node("gap", "GlobalAveragePooling2D"), softmax(3))
SWAP = {"anger": "neutral", "neutral": "stress", "stress": "anger"}


def split_dataset(session: Session, storage: Path) -> tuple[Dataset, dict[str, list[int]]]:
    """8 images a class: 4 train, 2 validation, 2 test. Two segments per recording,
    three speakers. The validation labels are rotated, so the better the model learns
    the colours, the worse its val_loss: the best epoch comes before the last."""
    dataset = store_dataset(session, storage, per_class=8, size=16)
    parts: dict[str, list[int]] = {"train": [], "validation": [], "test": []}
    for index, item in enumerate(dataset.items):
        item.extra = {"speaker": f"s{index % 3}", "source": f"rec{index // 2}.wav"}
        part = ("train", "train", "train", "train", "validation", "validation",
                "test", "test")[index % 8]  # fmt: skip
        parts[part].append(item.id)
        if part == "validation":
            item.label = SWAP[item.label]
    session.commit()
    return dataset, parts


def logs(env: WorkerEnv, run_id: int) -> str:
    with env.sessions() as session:
        rows = session.scalars(select(RunEvent).where(RunEvent.run_id == run_id,
                                                      RunEvent.kind == "log"))
        return "\n".join(str(row.payload.get("message", "")) for row in rows)


def read(storage: Path, run_id: int, name: str) -> Any:
    return json.loads((storage / "runs" / str(run_id) / name).read_text())


def test_the_best_checkpoint_is_evaluated_on_the_test_part_and_saved(
    worker_env: WorkerEnv,
) -> None:
    with worker_env.sessions() as session:
        dataset, parts = split_dataset(session, worker_env.storage)
        run = store_run(session, dataset, MEAN_COLOUR, HYPERPARAMETERS)
        run.split_assignment = parts
        session.commit()
        run_id = run.id

    run_training(run_id)

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "succeeded", run.error_message
        rows = session.scalars(select(RunMetric).where(
            RunMetric.run_id == run_id, RunMetric.key == "val_loss").order_by(RunMetric.step))
        val_loss = {m.step: m.value for m in rows}
        test_metrics, log = dict(run.test_metrics), logs(worker_env, run_id)
    evaluation = read(worker_env.storage, run_id, "evaluation.json")
    predictions = read(worker_env.storage, run_id, "predictions.json")

    best = min(val_loss, key=lambda epoch: val_loss[epoch])
    assert evaluation["split"] == "test" and evaluation["checkpoint"] == "best"
    assert evaluation["best_epoch"] == best < 4, val_loss
    assert evaluation["classes"] == ["anger", "neutral", "stress"] and evaluation["n"] == 6
    for key in ("accuracy", "balanced_accuracy"):
        lo, hi = evaluation[key]["ci95"]
        assert 0 <= lo <= evaluation[key]["value"] <= hi <= 1
    assert set(evaluation["per_class"]["anger"]) == {"precision", "recall", "f1", "support"}
    assert set(evaluation["per_group"]["speaker"]) <= {"s0", "s1", "s2"}
    recording = evaluation["recording_level"]
    assert recording["column"] == "source" and recording["n"] == 3  # 6 segments, 2 each

    items = predictions["items"]
    assert sorted(i["item_id"] for i in items) == sorted(parts["test"])
    counts = evaluation["confusion"]["counts"]
    classes = predictions["classes"]
    for t, row in enumerate(counts):
        for p, n in enumerate(row):
            assert n == sum(i["true"] == classes[t] and i["predicted"] == classes[p]
                            for i in items)
    assert all(abs(sum(i["probabilities"]) - 1) < 1e-4 for i in items)
    assert items[0]["metadata"]["source"].startswith("rec")

    assert test_metrics["test_accuracy"] == evaluation["accuracy"]["value"]
    assert test_metrics["test_balanced_accuracy"] == evaluation["balanced_accuracy"]["value"]
    assert test_metrics["test_macro_f1"] == evaluation["macro_f1"]
    assert "test_loss" in test_metrics
    assert f"Best checkpoint: epoch {best}" in log and "not the last (4)" in log
    assert "Test part (6 images, never trained on), best checkpoint" in log

    # The saved model is the evaluated one (the best epoch), not the last epoch's weights.
    images = test_images(worker_env.storage, dataset_path(worker_env, run_id), items)
    saved = keras.saving.load_model(worker_env.storage / "runs" / str(run_id) / "model.keras")
    evaluated = np.array([i["probabilities"] for i in items])
    np.testing.assert_allclose(saved.predict(images, verbose=0), evaluated, atol=1e-4)
    last = keras.saving.load_model(
        worker_env.storage / "runs" / str(run_id) / "checkpoint" / "epoch-0004.keras",
        compile=False)
    assert not np.allclose(last.predict(images, verbose=0), evaluated, atol=1e-4)


def dataset_path(env: WorkerEnv, run_id: int) -> str:
    with env.sessions() as session:
        return session.get_one(Run, run_id).dataset.storage_path


def test_images(storage: Path, folder: str, items: list[dict[str, Any]]) -> np.ndarray[Any, Any]:
    pixels = []
    for item in items:
        with Image.open(storage / folder / item["path"]) as image:
            pixels.append(np.asarray(image.convert("RGB"), dtype="float32"))
    return np.stack(pixels)


test_images.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def test_without_a_test_part_the_validation_part_is_evaluated(worker_env: WorkerEnv) -> None:
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=4, size=16)
        hp = {**HYPERPARAMETERS, "epochs": 1, "validation_fraction": 0.5}
        run_id = store_run(session, dataset, small_cnn(16), hp).id

    run_training(run_id)

    with worker_env.sessions() as session:
        run = session.get_one(Run, run_id)
        assert run.status == "succeeded", run.error_message
        assert "test_accuracy" not in (run.test_metrics or {})  # validation is not test
    assert "Validation part (6 images; the run has no test part)" in logs(worker_env, run_id)
    evaluation = read(worker_env.storage, run_id, "evaluation.json")
    assert evaluation["split"] == "validation" and evaluation["n"] == 6
    assert evaluation["checkpoint"] == "best" and evaluation["best_epoch"] == 1
    assert evaluation["recording_level"] is None and evaluation["per_group"] == {}


def test_best_weights_survive_a_resume_and_ignore_worse_epochs(tmp_path: Path) -> None:
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    tracker = BestWeights(tmp_path, 1, epoch_done=lambda epoch: True)
    tracker.set_model(model)
    first = [w.copy() for w in model.get_weights()]
    tracker.on_epoch_end(0, {"val_loss": 0.5})
    model.set_weights([w + 1 for w in first])
    tracker.on_epoch_end(1, {"val_loss": 0.9})  # worse: not kept
    tracker.on_epoch_end(2, {"val_loss": float("nan")})  # not a number: not kept

    resumed = BestWeights(tmp_path, 1, epoch_done=lambda epoch: True)  # another attempt
    assert (resumed.best_epoch, resumed.best_loss) == (1, 0.5)
    assert resumed.restore(model) == 1
    for got, want in zip(model.get_weights(), first, strict=True):
        np.testing.assert_allclose(got, want)


def test_an_epoch_that_was_not_recorded_is_never_the_best(tmp_path: Path) -> None:
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    tracker = BestWeights(tmp_path, 1, epoch_done=lambda epoch: False)  # cancelled mid-epoch
    tracker.set_model(model)
    tracker.on_epoch_end(0, {"val_loss": 0.1})
    assert tracker.best_epoch is None and tracker.restore(model) is None


@pytest.mark.parametrize("missing", ["best.json", "best.weights.h5"])
def test_a_half_written_best_is_ignored(tmp_path: Path, missing: str) -> None:
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    tracker = BestWeights(tmp_path, 1, epoch_done=lambda epoch: True)
    tracker.set_model(model)
    tracker.on_epoch_end(0, {"val_loss": 0.5})
    (tmp_path / "runs" / "1" / "checkpoint" / missing).unlink()
    assert BestWeights(tmp_path, 1, epoch_done=lambda epoch: True).best_epoch is None


def test_weights_early_stopping_restored_are_the_ones_evaluated(worker_env: WorkerEnv) -> None:
    # min_delta 10: only epoch 1 counts as an improvement, whatever val_loss does next.
    hp = {**HYPERPARAMETERS, "epochs": 6, "validation_fraction": 0.25,
          "early_stopping": {"enabled": True, "monitor": "val_loss", "patience": 1,
                             "min_delta": 10, "restore_best": True}}  # fmt: skip
    with worker_env.sessions() as session:
        dataset = store_dataset(session, worker_env.storage, per_class=8, size=16)
        run_id = store_run(session, dataset, small_cnn(16), hp).id

    run_training(run_id)

    evaluation = read(worker_env.storage, run_id, "evaluation.json")
    assert (evaluation["checkpoint"], evaluation["best_epoch"]) == ("best", 1)
    assert "use epoch 1, whose weights early stopping restored" in logs(worker_env, run_id)
