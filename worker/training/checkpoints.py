"""A run's checkpoint: model + optimizer state after each complete epoch, so another
worker can continue the run where a dead one stopped.

Layout: ``runs/<id>/checkpoint/epoch-NNNN.keras`` (the compiled model, optimizer
variables included) and ``latest.json`` naming it with the epoch, the random
state and the shuffle order. ``latest.json`` is replaced atomically after the
model file is complete, so a crash at any point leaves the previous checkpoint
whole; older model files are deleted only after the switch.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import keras
import numpy as np

from worker.training.artifacts import run_dir

LATEST = "latest.json"


@dataclass
class CheckpointState:
    epoch: int  # complete epochs the weights have seen (Keras's initial_epoch to resume)
    model_file: str = ""
    # Batches of epoch ``epoch + 1`` already trained (only when cancelled mid-epoch).
    batches_into_next_epoch: int = 0
    split_digest: str = ""
    python_random: Any = None
    numpy_random: Any = None
    # The shuffler of the training batches at the start of the last epoch trained.
    shuffle_rng: dict[str, Any] | None = None
    shuffle_order: list[int] = field(default_factory=list)


def checkpoint_dir(storage_root: Path, run_id: int) -> Path:
    return run_dir(storage_root, run_id) / "checkpoint"


def split_digest(relative_paths: list[str]) -> str:
    """Which items train: a resume on another split would silently mix two runs."""
    return hashlib.sha256("\n".join(relative_paths).encode()).hexdigest()[:16]


def save(model: Any, storage_root: Path, run_id: int, state: CheckpointState) -> Path:
    folder = checkpoint_dir(storage_root, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"epoch-{state.epoch:04d}" + (
        f"-batch-{state.batches_into_next_epoch}" if state.batches_into_next_epoch else ""
    )
    final = folder / f"{name}.keras"
    partial = folder / f"partial-{os.getpid()}.keras"  # Keras insists on the suffix
    model.save(partial)
    os.replace(partial, final)
    state.model_file = final.name
    state.python_random = random.getstate()
    state.numpy_random = _numpy_state()
    pointer = folder / f"{LATEST}.partial-{os.getpid()}"
    pointer.write_text(json.dumps(asdict(state)))
    os.replace(pointer, folder / LATEST)
    for old in folder.glob("epoch-*.keras"):
        if old.name != final.name:
            old.unlink(missing_ok=True)
    return final


def load_state(storage_root: Path, run_id: int) -> CheckpointState | None:
    path = checkpoint_dir(storage_root, run_id) / LATEST
    if not path.is_file():
        return None
    state = CheckpointState(**json.loads(path.read_text()))
    if not (path.parent / state.model_file).is_file():
        return None
    return state


def restore(model: Any, storage_root: Path, run_id: int, state: CheckpointState) -> None:
    """Weights and optimizer variables into the freshly compiled ``model``.

    Building the same graph and compile settings and loading variables into it
    (rather than ``load_model``) keeps custom losses and metrics out of the file
    format, and works the same under TensorFlow, torch and jax.
    """
    model.optimizer.build(model.trainable_variables)
    model.load_weights(checkpoint_dir(storage_root, run_id) / state.model_file)
    if state.python_random is not None:
        random.setstate(_as_python_state(state.python_random))
    if state.numpy_random is not None:
        kind, keys, pos, has_gauss, gauss = state.numpy_random
        np.random.set_state((kind, np.array(keys, dtype=np.uint32), pos, has_gauss, gauss))


def shuffle_snapshot(batches: Any) -> tuple[dict[str, Any] | None, list[int]]:
    """The training batches' shuffler and order as the epoch starts."""
    state = getattr(batches, "shuffle_state", None)
    if state is None:
        return None, []
    rng, order = state()
    return rng, order


def backend_seed(seed: int, epoch: int) -> None:
    """Reseeds the backend's generators (dropout, augmentation) for a resumed epoch:
    repeatable for the same checkpoint, though not the masks an unbroken run drew."""
    keras.utils.set_random_seed(seed + 7919 * epoch)


def _numpy_state() -> list[Any]:
    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    return [kind, [int(k) for k in keys], int(pos), int(has_gauss), float(gauss)]


def _as_python_state(value: Any) -> Any:
    # JSON turned the tuples into lists; random.setstate wants them back.
    version, internal, gauss = value
    return (version, tuple(internal), gauss)


class CheckpointEachEpoch(keras.callbacks.Callback):  # type: ignore[misc]
    """Last in the callback list: saves after the epoch is recorded and every other
    callback (a plateau's learning-rate cut) has acted, then notes it on the run.

    A crash between the epoch's record and this save leaves an epoch recorded past
    the checkpoint; the resume drops it (RunRecorder.resumed) and trains it again.
    """

    def __init__(
        self, storage_root: Path, run: Any, batches: Any, digest: str,
        epoch_done: Any, commit: Any,
    ) -> None:
        super().__init__()
        self.storage_root, self.run, self.batches = storage_root, run, batches
        self.digest = digest
        self.epoch_done = epoch_done  # (epoch) -> bool: recorded as complete?
        self.commit = commit
        self.shuffle: tuple[dict[str, Any] | None, list[int]] = (None, [])

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self.shuffle = shuffle_snapshot(self.batches)

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        if not self.epoch_done(epoch + 1):
            return
        self.save(epoch + 1)

    def save(self, epoch: int, batches_into_next_epoch: int = 0) -> None:
        rng, order = self.shuffle
        state = CheckpointState(epoch=epoch, batches_into_next_epoch=batches_into_next_epoch,
                                split_digest=self.digest, shuffle_rng=rng, shuffle_order=order)
        save(self.model, self.storage_root, self.run.id, state)
        self.run.checkpoint_epoch = epoch
        self.commit()
