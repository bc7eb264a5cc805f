"""Keras callbacks that report a run's progress through the RunRecorder."""

from __future__ import annotations

import math
import time
from typing import Any, Protocol

import keras

from backend.models.run import Run, RunStatus
from backend.runs.recorder import RunRecorder

REPORTED_METRICS = ("loss", "accuracy", "val_loss", "val_accuracy")


class StopSignal(Protocol):
    """progress.RunControl: whether training stopped inside the epoch (cancel, lost lease)."""

    @property
    def stopped_mid_epoch(self) -> bool: ...


class RecordEpochs(keras.callbacks.Callback):  # type: ignore[misc]
    """Writes each finished epoch (DB row + Redis event) for the live chart.

    Each epoch's metrics include ``learning_rate`` (see current_learning_rate).
    It also stops training when the loss is no longer a number (every later
    epoch would be wasted; the job turns it into a message with a remedy), and
    when someone else ended the run meanwhile (a cancel from the API), whose
    status the job must then leave as it is.
    """

    def __init__(
        self, recorder: RunRecorder, run: Run, epochs: int,
        control: StopSignal | None = None, images_per_epoch: int | None = None,
    ) -> None:
        super().__init__()
        self.recorder = recorder
        self.run = run
        self.epochs = epochs
        self.control = control
        self.images_per_epoch = images_per_epoch
        self.diverged_at: int | None = None
        self.ended_elsewhere = False
        self._began = self._trained = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._began = self._trained = time.monotonic()

    def on_test_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._trained = time.monotonic()  # validation starts: the training part is over

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.control is not None and self.control.stopped_mid_epoch:
            return  # a partial epoch is not an epoch: its checkpoint says how far it got
        logs = logs or {}
        metrics = {key: float(logs[key]) for key in REPORTED_METRICS if key in logs}
        rate = current_learning_rate(self.model)
        if rate is not None:
            metrics["learning_rate"] = rate
        # Keras counts epochs from 0; people (and the chart) count from 1.
        now = time.monotonic()
        trained = (self._trained if self._trained > self._began else now) - self._began
        speed = (round(self.images_per_epoch / trained, 1)
                 if self.images_per_epoch and trained > 0 else None)
        self.recorder.epoch(self.run, epoch + 1, self.epochs, metrics,
                            seconds=round(now - self._began, 3), images_per_second=speed)
        if not math.isfinite(metrics.get("loss", 0.0)):
            self.diverged_at = epoch + 1
            self.model.stop_training = True
        if self._ended_elsewhere():
            self.ended_elsewhere = True
            self.model.stop_training = True

    def _ended_elsewhere(self) -> bool:
        # One primary-key read per epoch: negligible next to an epoch of training.
        self.recorder.session.refresh(self.run, ["status"])
        return RunStatus(self.run.status) is not RunStatus.RUNNING


def current_learning_rate(model: Any) -> float | None:
    """The rate the epoch's last step used (for a per-step decay, the next step's).

    Read before any schedule callback changes it for the next epoch: RecordEpochs
    runs first in the callback list, so ReduceLROnPlateau's cut shows from the
    epoch it applies to.
    """
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:  # not compiled: nothing trains, no rate to report
        return None
    return float(keras.ops.convert_to_numpy(optimizer.learning_rate))
