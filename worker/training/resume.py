"""The two ends of an attempt that are not plain training: continuing a run from its
checkpoint, and stopping one that was cancelled."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backend.models.run import Run, RunStatus
from backend.runs.hyperparameters import Hyperparameters
from backend.runs.recorder import RunRecorder
from worker.training import checkpoints
from worker.training.artifacts import save_model
from worker.training.batchnorm import precise_batchnorm
from worker.training.callbacks import RecordEpochs
from worker.training.checkpoints import CheckpointEachEpoch, split_digest
from worker.training.lease import LeaseKeeper
from worker.training.progress import SAVING, RunControl, cancelled_phase, resuming_phase
from worker.training.schedules import training_callbacks


@dataclass
class Attempt:
    initial_epoch: int
    control: RunControl
    progress: RecordEpochs
    extra: list[Any]  # schedule and early stopping
    saver: CheckpointEachEpoch
    statistics: list[Any] = field(default_factory=list)  # precise BatchNorm, if any

    @property
    def callbacks(self) -> list[Any]:
        # Control first (it decides whether the epoch counts), the checkpoint last
        # (after a plateau's learning-rate cut, which the checkpoint must hold).
        # BatchNorm statistics are recomputed after the progress callback marks the
        # training part over (on_test_begin) and before anything reads or saves weights.
        return [self.control, self.progress, *self.statistics, *self.extra, self.saver]


def start_attempt(
    model: Any, batches: Any, hp: Hyperparameters, run: Run, recorder: RunRecorder,
    storage_root: Path, lease: LeaseKeeper | None,
) -> Attempt:
    """Resumes from the checkpoint if there is one, and makes this attempt's callbacks."""
    digest = split_digest([e.relative_path for e in batches.examples])
    initial_epoch = resume(model, batches, hp.seed, digest, run, recorder, storage_root)
    control = RunControl(recorder, run, hp.epochs, len(batches), lease, initial_epoch)
    progress = RecordEpochs(recorder, run, hp.epochs, control, len(batches.examples))
    saver = CheckpointEachEpoch(
        storage_root, run, batches, digest, commit=recorder.session.commit,
        epoch_done=lambda epoch: run.epochs_completed >= epoch and progress.diverged_at is None
        and not (progress.ended_elsewhere or control.stopped_mid_epoch),
    )
    statistics = precise_batchnorm(
        model, batches, lambda message: recorder.log(run, message, level="warning"))
    return Attempt(initial_epoch, control, progress, training_callbacks(hp), saver, statistics)


def resume(
    model: Any, batches: Any, seed: int, digest: str, run: Run, recorder: RunRecorder,
    storage_root: Path,
) -> int:
    """Loads the last complete epoch's state into ``model`` and returns Keras's
    ``initial_epoch``; 0 (and nothing loaded) for a run's first attempt."""
    state = checkpoints.load_state(storage_root, run.id)
    if state is None and run.attempt == 0:
        return 0
    epoch = state.epoch if state is not None else 0
    recorder.phase(run, resuming_phase(epoch))
    # Before any new epoch is recorded: drops what the dead attempt recorded past
    # the checkpoint, so each epoch appears once.
    recorder.resumed(run, epoch)
    if state is None:
        recorder.log(run, "No checkpoint was saved before the worker stopped: starting over")
        return 0
    if state.split_digest and state.split_digest != digest:
        recorder.log(run, "The training split differs from the checkpoint's (the dataset "
                          "changed?): continuing on the new one", level="warning")
    checkpoints.backend_seed(seed, epoch)
    checkpoints.restore(model, storage_root, run.id, state)
    _restore_shuffle(batches, state)
    recorder.log(run, f"Resumed from the checkpoint of epoch {epoch} "
                      f"(attempt {run.attempt + 1})")
    return epoch


def _restore_shuffle(batches: Any, state: checkpoints.CheckpointState) -> None:
    """The order the next epoch would have had: the last epoch's order and shuffler,
    shuffled once more as the end of that epoch did. A different split (the digest
    check has already said so) starts from the fresh shuffle instead."""
    if state.shuffle_rng is None or not hasattr(batches, "restore_shuffle_state"):
        return
    if batches.restore_shuffle_state(state.shuffle_rng, state.shuffle_order):
        batches.on_epoch_end()


def finish_cancelled(
    model: Any, run: Run, recorder: RunRecorder, control: RunControl,
    saver: CheckpointEachEpoch, storage_root: Path,
) -> None:
    """Keeps what was learned: a checkpoint at the batch boundary and the model file."""
    assert control.cancelled_at is not None
    epoch, batch = control.cancelled_at
    if 0 < batch < control.batches:  # mid-epoch; a finished epoch was saved as usual
        saver.save(run.epochs_completed, batches_into_next_epoch=batch)
    if batch > 0 or run.epochs_completed > 0:
        recorder.phase(run, SAVING)
        save_model(model, run, storage_root)
    recorder.phase(run, cancelled_phase(epoch, batch))
    kept = "; the weights so far are kept" if run.model_path else ""
    recorder.status(run, RunStatus.CANCELLED, f"Cancelled at epoch {epoch} batch {batch}{kept}")
