"""What a run is doing between and inside epochs: phases, batch progress, cancel.

``RunControl`` is the first callback of every fit. At batch ends it publishes
throttled progress, and it checks (throttled) for a cancel asked through the
API and for a lost lease; either stops training at that batch boundary.
"""

from __future__ import annotations

import os
import time
from typing import Any

import keras

from backend.models.run import Run
from backend.runs.recorder import RunRecorder
from worker.training.lease import LeaseKeeper

# Phases, in the order a run goes through them (see the README's run events).
LOADING_DATA = "loading data"
COMPILING = "compiling the model"
FIRST_STEP = "preparing the first step (tracing; 10-20 s on CPU)"
TRAINING = "training"
EVALUATING_TEST = "evaluating on the test split"
SAVING = "saving the model"

PUBLISH_EVERY_S = 0.25  # a few progress events a second, live
STORE_EVERY_S = 1.0  # the run row's copy, for pages opened later
CONTROL_EVERY_S = 0.5  # how often a batch end reads the cancel flag


def resuming_phase(epoch: int) -> str:
    return f"resuming from epoch {epoch}"


def cancelled_phase(epoch: int, batch: int) -> str:
    return f"cancelled at epoch {epoch} batch {batch}"


def describe_device() -> str:
    """Where this process trains, for the run page: GPU names or the CPU count."""
    backend = keras.backend.backend()
    gpus: list[str] = []
    try:
        if backend == "torch":
            import torch

            gpus = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
        elif backend == "tensorflow":
            import tensorflow as tf

            gpus = [
                str(tf.config.experimental.get_device_details(d).get("device_name", d.name))
                for d in tf.config.list_physical_devices("GPU")
            ]
        elif backend == "jax":
            import jax

            gpus = [str(d.device_kind) for d in jax.devices() if d.platform == "gpu"]
    except Exception:  # a broken driver: say CPU rather than fail the run
        gpus = []
    if gpus:
        return f"GPU: {', '.join(gpus)} ({backend})"
    return f"CPU, {os.cpu_count() or 1} cores ({backend})"


class RunControl(keras.callbacks.Callback):  # type: ignore[misc]
    def __init__(
        self, recorder: RunRecorder, run: Run, epochs: int, batches: int,
        lease: LeaseKeeper | None = None, initial_epoch: int = 0, clock: Any = time.monotonic,
    ) -> None:
        super().__init__()
        self.recorder, self.run, self.epochs, self.batches = recorder, run, epochs, batches
        self.lease = lease
        self.clock = clock
        self.epoch = initial_epoch + 1  # the epoch in progress, counted from 1
        self.cancelled_at: tuple[int, int] | None = None  # (epoch, batch done)
        self.lease_lost = False
        self._first_batch_at: float | None = None
        self._batches_done = 0
        self._published = self._stored = self._checked = 0.0

    @property
    def stopped_mid_epoch(self) -> bool:
        """A cancel at an epoch's last batch leaves that epoch complete."""
        cut = self.cancelled_at is not None and self.cancelled_at[1] < self.batches
        # Read live: an epoch that ends after the lease was lost is not ours to record.
        if self.lease is not None and self.lease.lost.is_set():
            self.lease_lost = True
        return cut or self.lease_lost

    def on_train_begin(self, logs: Any = None) -> None:
        self.recorder.phase(self.run, FIRST_STEP)

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self.epoch = epoch + 1

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        now = self.clock()
        if self._first_batch_at is None:
            self._first_batch_at = now  # the traced step is done; the rest is steady
            self.recorder.phase(self.run, TRAINING)
        else:
            self._batches_done += 1
        if now - self._published >= PUBLISH_EVERY_S:  # tiny epochs too: a few a second
            store = now - self._stored >= STORE_EVERY_S
            self.recorder.progress(self.run, self.epoch, self.epochs, batch + 1, self.batches,
                                   self._eta(now, batch + 1), store=store)
            self._published = now
            self._stored = now if store else self._stored
        if now - self._checked >= CONTROL_EVERY_S:
            self._checked = now
            self._check_stop(batch + 1)
            if self.stopped_mid_epoch:
                self.model.stop_training = True

    def check_before_training(self) -> bool:
        """True when a cancel arrived while the data loaded or the model compiled."""
        self._check_stop(0)
        return self.cancelled_at is not None or self.lease_lost

    def _check_stop(self, batch: int) -> None:
        if self.lease is not None and self.lease.lost.is_set():
            self.lease_lost = True
        else:
            self.recorder.session.refresh(self.run, ["cancel_requested_at"])
            if self.run.cancel_requested_at is not None and self.cancelled_at is None:
                self.cancelled_at = (self.epoch, batch)

    def _eta(self, now: float, batch: int) -> float | None:
        if self._first_batch_at is None or self._batches_done == 0:
            return None
        per_batch = (now - self._first_batch_at) / self._batches_done
        remaining = (self.batches - batch) + (self.epochs - self.epoch) * self.batches
        return round(per_batch * remaining, 1)
