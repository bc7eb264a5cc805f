"""The training itself: data, model, fit, save, for a run already marked RUNNING."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import keras
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from backend.errors import DLStudioError, InvalidInput, Problem
from backend.graph.schema import GraphSpec, InputNode
from backend.models.dataset import Dataset
from backend.models.graph import GraphVersion
from backend.models.run import Run, RunStatus
from backend.runs.hyperparameters import Hyperparameters
from backend.runs.recorder import RunRecorder
from worker.compiler import check_output, compile_graph
from worker.compiler.compile import output_is_logits
from worker.training.artifacts import save_model
from worker.training.callbacks import RecordEpochs
from worker.training.data import (
    DataError,
    Example,
    ImageBatches,
    ImageShape,
    SplitExamples,
    assigned_split,
    missing_files_error,
    stratified_split,
)
from worker.training.evaluation import BestWeights, evaluate_held_out, restore_best
from worker.training.lease import LeaseKeeper
from worker.training.losses import balanced_class_weights, batches_class, make_loss
from worker.training.optimizers import make_optimizer
from worker.training.precision import keep_output_float32, set_precision
from worker.training.progress import COMPILING, LOADING_DATA, SAVING
from worker.training.resume import finish_cancelled, start_attempt
from worker.training.schedules import stopped_early_message

M = TypeVar("M", bound=BaseModel)


class TrainingDiverged(DLStudioError):
    code = "training_diverged"


def train(
    session: Session, recorder: RunRecorder, run: Run, storage_root: Path,
    lease: LeaseKeeper | None = None,
) -> None:
    started = time.monotonic()
    spec = _validated(GraphSpec, _graph_version(session, run).spec, "graph")
    hp = _validated(Hyperparameters, run.hyperparameters, "hyperparameters")
    dataset = session.get(Dataset, run.dataset_id)
    if dataset is None:
        raise InvalidInput(f"Dataset {run.dataset_id} no longer exists")
    # A worker child may run several jobs: start each from an empty Keras
    # state, and seed Python, numpy and the backend together.
    keras.backend.clear_session()
    keras.utils.set_random_seed(hp.seed)
    mixed = set_precision(hp.mixed_precision, lambda message: recorder.log(run, message))
    recorder.phase(run, LOADING_DATA)
    batches, validation, test = _batches(spec, hp, dataset, storage_root, run.split_assignment)
    recorder.phase(run, COMPILING)
    model = compile_graph(spec)
    check_output(model, spec, batches.num_classes)
    if mixed:
        keep_output_float32(model)
    model.compile(
        optimizer=make_optimizer(hp.optimizer),
        loss=make_loss(hp.loss, from_logits=output_is_logits(spec)),
        metrics=["accuracy"],
    )
    n_val = len(validation.examples) if validation else 0
    run.num_params = int(model.count_params())  # shown on the run page while it trains
    recorder.log(run, f"Model built: {run.num_params:,} parameters; training on "
                      f"{len(batches.examples)} images, validating on {n_val}")
    attempt = start_attempt(model, batches, hp, run, recorder, storage_root, lease)
    control, progress = attempt.control, attempt.progress
    best = BestWeights(storage_root, run.id, attempt.saver.epoch_done)  # lowest val_loss
    if not control.check_before_training():
        _fit(model, batches, validation, hp.epochs, [*attempt.callbacks, best],
             _class_weight(hp, batches, dataset, lambda message: recorder.log(run, message)),
             attempt.initial_epoch)
    if progress.ended_elsewhere or control.lease_lost:
        return
    if control.cancelled_at is not None:
        finish_cancelled(model, run, recorder, control, attempt.saver, storage_root)
        return
    if stopped := stopped_early_message(attempt.extra, hp.epochs):
        recorder.log(run, stopped)
    checkpoint = restore_best(recorder, run, model, best, attempt.extra)  # evaluated, saved
    evaluate_held_out(recorder, run, model, (test, validation), dataset, storage_root,
                      checkpoint, output_is_logits(spec))
    recorder.phase(run, SAVING)
    save_model(model, run, storage_root)
    recorder.status(run, RunStatus.SUCCEEDED,
                    f"Trained {run.epochs_completed} epochs in {time.monotonic() - started:.0f} s")


def _batches(
    spec: GraphSpec, hp: Hyperparameters, dataset: Dataset, storage_root: Path,
    assignment: dict[str, Any] | None = None,
) -> tuple[ImageBatches, ImageBatches | None, ImageBatches | None]:
    shape = input_shape(spec)
    parts = _parts(dataset_examples(dataset, storage_root), hp, assignment)
    classes = len(dataset.classes)
    batch_type = batches_class(hp.loss)  # integer labels for the sparse loss
    batches = batch_type(parts.train, classes, shape, hp.batch_size, shuffle=True, seed=hp.seed)
    held_out = [
        batch_type(examples, classes, shape, hp.batch_size, shuffle=False, seed=hp.seed)
        if examples else None
        for examples in (parts.validation, parts.test)
    ]  # fmt: skip
    return batches, held_out[0], held_out[1]


def _parts(
    examples: list[Example], hp: Hyperparameters, assignment: dict[str, Any] | None
) -> SplitExamples:
    """The split stored on the run (the API audited it); runs from before splits existed
    hold out validation_fraction here, as they always did."""
    if assignment:
        return assigned_split(examples, assignment)
    train_set, val_set = stratified_split(examples, hp.validation_fraction, hp.seed)
    return SplitExamples(train_set, val_set, [])


def _class_weight(
    hp: Hyperparameters, batches: ImageBatches, dataset: Dataset, log: Callable[[str], Any]
) -> dict[int, float] | None:
    if hp.class_weights != "balanced":
        return None
    weights = balanced_class_weights([e.label for e in batches.examples], batches.num_classes)
    shown = ", ".join(f"{dataset.classes[i]} {w:.3g}" for i, w in weights.items())
    log(f"Class weights (balanced, from the training split): {shown}")
    return weights


def _fit(
    model: Any, batches: ImageBatches, validation: ImageBatches | None, epochs: int,
    callbacks: list[Any], class_weight: dict[int, float] | None, initial_epoch: int = 0,
) -> None:
    progress = next(c for c in callbacks if isinstance(c, RecordEpochs))
    try:
        model.fit(batches, validation_data=validation, epochs=epochs, callbacks=callbacks,
                  class_weight=class_weight, verbose=0, initial_epoch=initial_epoch)
    except Exception as exc:
        # tf.data re-raises a data error as an opaque op error; ours names the file.
        original = batches.error or (validation.error if validation else None)
        if original is not None and original is not exc:
            raise original from exc
        raise
    if progress.diverged_at is not None and not progress.ended_elsewhere:
        raise TrainingDiverged(
            f"The loss became NaN or infinite in epoch {progress.diverged_at}, so training "
            "stopped. Try a lower learning rate or a BatchNormalization layer."
        )


def input_shape(spec: GraphSpec) -> ImageShape:
    node = next(n for n in spec.nodes if isinstance(n, InputNode))
    return ImageShape(node.params.height, node.params.width, node.params.channels)


def dataset_examples(dataset: Dataset, storage_root: Path) -> list[Example]:
    """Every item with its class index; all missing files reported before any training."""
    root = storage_root / dataset.storage_path
    index = {name: i for i, name in enumerate(dataset.classes)}
    examples: list[Example] = []
    missing: list[str] = []
    for item in dataset.items:
        if item.label not in index:
            raise DataError(
                f"Item '{item.path}' has label '{item.label}', which is not one of the "
                f"dataset's classes", [Problem(("file", item.path), "unknown label")],
            )
        path = root / item.path
        if not path.is_file():
            missing.append(item.path)
        examples.append(Example(path, item.path, index[item.label], item.id))
    if missing:
        raise missing_files_error(missing)
    if not examples:
        raise DataError(f"Dataset '{dataset.name}' has no items to train on")
    return examples


def _graph_version(session: Session, run: Run) -> GraphVersion:
    version = session.get(GraphVersion, run.graph_version_id)
    if version is None:
        raise InvalidInput(f"Graph version {run.graph_version_id} no longer exists")
    return version


def _validated(model: type[M], data: Any, what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem((what, *err["loc"]), err["msg"]) for err in exc.errors(include_url=False)
        ]
        detail = "; ".join(f"{'.'.join(map(str, p.loc))}: {p.message}" for p in problems[:3])
        message = f"The run's stored {what} could not be read: {detail}"
        raise InvalidInput(message, problems) from exc
