"""The trained model on the run's held-out part: the numbers a paper would report.

The model evaluated (and saved) is the best checkpoint: the epoch with the lowest
val_loss, not simply the last one, whose weights may have overfitted or jumped.
BestWeights keeps those weights in the run's checkpoint folder, so a run resumed on
another worker still knows its best epoch. Metrics come from backend.evaluation
(pure numpy); this module only asks the model for probabilities and writes the files.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np

from backend.evaluation import results
from backend.models.dataset import Dataset
from backend.models.run import Run
from backend.runs.recorder import RunRecorder
from worker.training.artifacts import run_dir
from worker.training.checkpoints import checkpoint_dir
from worker.training.data import ImageBatches
from worker.training.progress import EVALUATING_TEST

BEST_WEIGHTS = "best.weights.h5"  # Keras insists on this suffix for weights-only files
BEST_STATE = "best.json"
EVALUATING_VALIDATION = "evaluating on the validation split (the run has no test split)"


class BestWeights(keras.callbacks.Callback):  # type: ignore[misc]
    """Saves the weights whenever a recorded epoch lowers val_loss.

    Weights only (no optimizer): they are for evaluating and the saved model, while
    resuming uses the per-epoch checkpoint. ``best.json`` is replaced after the weights
    file is whole, so a crash leaves the previous best intact.
    """

    def __init__(self, storage_root: Path, run_id: int, epoch_done: Callable[[int], bool]) -> None:
        super().__init__()
        self.folder = checkpoint_dir(storage_root, run_id)
        self.epoch_done = epoch_done
        state = _read_state(self.folder)
        self.best_epoch: int | None = state.get("epoch")
        self.best_loss: float | None = state.get("val_loss")

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        value = (logs or {}).get("val_loss")
        if value is None or not math.isfinite(float(value)) or not self.epoch_done(epoch + 1):
            return
        if self.best_loss is not None and float(value) >= self.best_loss:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f"partial-{os.getpid()}.{BEST_WEIGHTS}"
        self.model.save_weights(partial)
        os.replace(partial, self.folder / BEST_WEIGHTS)
        self.best_epoch, self.best_loss = epoch + 1, float(value)
        pointer = self.folder / f"{BEST_STATE}.partial-{os.getpid()}"
        pointer.write_text(json.dumps({"epoch": self.best_epoch, "val_loss": self.best_loss}))
        os.replace(pointer, self.folder / BEST_STATE)

    def restore(self, model: Any) -> int | None:
        """Loads the best epoch's weights into ``model``; None when there is none."""
        path = self.folder / BEST_WEIGHTS
        if self.best_epoch is None or not path.is_file():
            return None
        model.load_weights(path)
        return self.best_epoch


def _read_state(folder: Path) -> dict[str, Any]:
    path = folder / BEST_STATE
    try:
        state: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return state if (folder / BEST_WEIGHTS).is_file() else {}


@dataclass(frozen=True)
class Checkpoint:
    name: str  # "best" or "last"
    epoch: int | None  # the best epoch, counted from 1


def restore_best(
    recorder: RunRecorder, run: Run, model: Any, best: BestWeights, callbacks: list[Any],
) -> Checkpoint:
    """The weights to evaluate and save: the lowest val_loss epoch's, or the last ones
    when the run validated nothing. Says which in the run log.

    Early stopping asked to restore its best weights has already done so, by the user's
    own rule (its monitor and min_delta): those are kept rather than overruled."""
    if (kept := _early_stopping_kept(callbacks)) is not None:
        recorder.log(run, f"The evaluation and the saved model use epoch {kept}, whose "
                          "weights early stopping restored")
        return Checkpoint("best", kept)
    epoch = best.restore(model)
    if epoch is None:
        recorder.log(run, "No validation split, so no best epoch: the evaluation and the "
                          "saved model use the last epoch's weights")
        return Checkpoint("last", None)
    last = run.epochs_completed
    which = "the last epoch" if epoch == last else f"not the last ({last})"
    recorder.log(run, f"Best checkpoint: epoch {epoch} (lowest val_loss {best.best_loss:.4g}), "
                      f"{which}; the evaluation and the saved model use its weights")
    return Checkpoint("best", epoch)


def _early_stopping_kept(callbacks: list[Any]) -> int | None:
    for callback in callbacks:
        if (isinstance(callback, keras.callbacks.EarlyStopping) and callback.restore_best_weights
                and callback.best_weights is not None):
            return int(callback.best_epoch) + 1
    return None


def evaluate_held_out(
    recorder: RunRecorder, run: Run, model: Any,
    parts: tuple[ImageBatches | None, ImageBatches | None], dataset: Dataset,
    storage_root: Path, checkpoint: Checkpoint, from_logits: bool,
) -> None:
    """``parts`` is (test, validation): the test part when there is one, else validation
    (then run.test_metrics stay empty: validation numbers are not test numbers)."""
    test, validation = parts
    part = test if test is not None else validation
    if part is None or not part.examples:
        recorder.log(run, "No test or validation split: nothing to evaluate on")
        return
    split = "test" if test is not None else "validation"
    recorder.phase(run, EVALUATING_TEST if test is not None else EVALUATING_VALIDATION)
    held = _held_out(model, part, dataset, from_logits)
    report = results.evaluation(held, split, checkpoint.name, checkpoint.epoch)
    folder = run_dir(storage_root, run.id)
    results.write_json_atomic(folder / results.PREDICTIONS_FILE, results.predictions(held))
    results.write_json_atomic(folder / results.EVALUATION_FILE, report)
    if test is not None:
        _record_test_metrics(run, model, test, report)
    recorder.log(run, _summary(report, len(part.examples)))


def _held_out(
    model: Any, part: ImageBatches, dataset: Dataset, from_logits: bool
) -> results.HeldOut:
    outputs = np.asarray(model.predict(part, verbose=0), dtype=np.float64)
    probabilities = _softmax(outputs) if from_logits else _normalised(outputs)
    extras = {item.id: dict(item.extra or {}) for item in dataset.items}
    examples = part.examples
    return results.HeldOut(
        classes=list(dataset.classes),
        true=[e.label for e in examples],
        probabilities=probabilities,
        item_ids=[e.item_id for e in examples],
        paths=[e.relative_path for e in examples],
        metadata=[extras.get(e.item_id, {}) if e.item_id is not None else {} for e in examples],
    )


def _softmax(logits: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities: np.ndarray[Any, Any] = shifted / shifted.sum(axis=1, keepdims=True)
    return probabilities


def _normalised(outputs: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    # Softmax outputs already sum to 1; a sigmoid head's do not, and a bar chart of
    # "probabilities" must.
    clipped = np.clip(outputs, 0.0, None)
    totals = clipped.sum(axis=1, keepdims=True)
    probabilities: np.ndarray[Any, Any] = np.divide(
        clipped, totals, out=np.full_like(clipped, 1 / clipped.shape[1]), where=totals > 0)
    return probabilities


def _record_test_metrics(run: Run, model: Any, test: ImageBatches, report: dict[str, Any]) -> None:
    keras_results = model.evaluate(test, return_dict=True, verbose=0)
    metrics = {f"test_{key}": float(value) for key, value in keras_results.items()}
    metrics.update(test_accuracy=report["accuracy"]["value"],
                   test_balanced_accuracy=report["balanced_accuracy"]["value"],
                   test_macro_f1=report["macro_f1"])
    run.test_metrics = metrics


def _summary(report: dict[str, Any], n: int) -> str:
    where = (f"Test part ({n} images, never trained on)" if report["split"] == "test"
             else f"Validation part ({n} images; the run has no test part)")
    which = (f"best checkpoint (epoch {report['best_epoch']})" if report["checkpoint"] == "best"
             else "last epoch")
    text = (f"{where}, {which}: accuracy {_with_ci(report['accuracy'])}, "
            f"balanced accuracy {_with_ci(report['balanced_accuracy'])}, "
            f"macro-F1 {report['macro_f1']:.3f}")
    if (recording := report.get("recording_level")) is not None:
        text += (f"; per recording ('{recording['column']}', {recording['n']}): accuracy "
                 f"{_with_ci(recording['accuracy'])}, balanced accuracy "
                 f"{_with_ci(recording['balanced_accuracy'])}")
    return text


def _with_ci(metric: dict[str, Any]) -> str:
    lo, hi = metric["ci95"]
    return f"{metric['value']:.3f} (95% CI {lo:.3f} to {hi:.3f})"
