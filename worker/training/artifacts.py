"""The trained model file: where it lives and how it is written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import keras

from backend.models.run import Run
from worker.training.bundles import write_environment

MODEL_FILE = "model.keras"


def run_dir(storage_root: Path, run_id: int) -> Path:
    return storage_root / "runs" / str(run_id)


def save_model(model: Any, run: Run, storage_root: Path) -> Path:
    """Save for inference and record it on the run (committed with the final status).

    The file holds a fresh functional model over the same layers: no optimizer
    and no compile config, because a model saved with its optimizer under one
    backend can fail to load under another ("Could not deserialize class
    'Adadelta'"), and a download is for predicting, not resuming. Beside it,
    environment.json records the software versions for the model card.
    """
    target_dir = run_dir(storage_root, run.id)
    target_dir.mkdir(parents=True, exist_ok=True)
    final = target_dir / MODEL_FILE
    # Keras insists on the .keras suffix; the rename makes a reader never see
    # a half-written file under the real name.
    partial = target_dir / f"partial-{os.getpid()}.keras"
    inference = keras.Model(model.input, model.output, name=model.name)
    inference.save(partial)
    os.replace(partial, final)
    write_environment(target_dir)  # the model card's software versions
    run.model_path = final.relative_to(storage_root).as_posix()
    run.num_params = int(model.count_params())
    return final
