"""Learning-rate schedules and early stopping as Keras callbacks.

Schedules act per epoch (the run page shows one learning rate per epoch); the
only per-step change is Keras 2's ``decay`` (see optimizers.learning_rate),
which the API refuses to combine with a schedule.
"""

from __future__ import annotations

import math
from typing import Any

import keras

from backend.runs.hyperparameters import (
    CosineSchedule,
    EarlyStoppingConfig,
    Hyperparameters,
    ReduceOnPlateauSchedule,
    ScheduleConfig,
    StepSchedule,
)


def step_rate(epoch: int, base: float, schedule: StepSchedule) -> float:
    """Epoch counted from 0: ``base * factor ** (epoch // every_epochs)``."""
    return float(base * schedule.factor ** (epoch // schedule.every_epochs))


def cosine_rate(epoch: int, base: float, epochs: int, schedule: CosineSchedule) -> float:
    """Warm-up rises linearly to ``base`` over ``warmup_epochs`` (epoch w-1 trains at
    base * w/(w+1)); then half a cosine from ``base`` at epoch ``warmup_epochs`` to
    ``base * min_fraction`` at the last epoch."""
    warmup = schedule.warmup_epochs
    if epoch < warmup:
        return base * (epoch + 1) / (warmup + 1)
    span = epochs - warmup - 1
    # A run with no room for the cosine (1 epoch after warm-up) trains at base.
    progress = (epoch - warmup) / span if span > 0 else 0.0
    low = schedule.min_fraction
    return float(base * (low + (1 - low) * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))))


def schedule_callbacks(schedule: ScheduleConfig, base: float, epochs: int) -> list[Any]:
    match schedule:
        case StepSchedule():
            return [keras.callbacks.LearningRateScheduler(
                lambda epoch: step_rate(epoch, base, schedule))]
        case CosineSchedule():
            return [keras.callbacks.LearningRateScheduler(
                lambda epoch: cosine_rate(epoch, base, epochs, schedule))]
        case ReduceOnPlateauSchedule():
            return [keras.callbacks.ReduceLROnPlateau(
                monitor=schedule.monitor, factor=schedule.factor, patience=schedule.patience,
                min_delta=schedule.min_delta, min_lr=schedule.min_lr, mode=_mode(schedule.monitor),
            )]
    return []


def early_stopping(config: EarlyStoppingConfig) -> Any | None:
    if not config.enabled:
        return None
    return keras.callbacks.EarlyStopping(
        monitor=config.monitor, patience=config.patience, min_delta=config.min_delta,
        restore_best_weights=config.restore_best, mode=_mode(config.monitor),
    )


def training_callbacks(hp: Hyperparameters) -> list[Any]:
    """The schedule, then early stopping: each sees the epoch's metrics after the
    progress recorder (listed before them) has written that epoch's learning rate."""
    stopper = early_stopping(hp.early_stopping)
    callbacks = schedule_callbacks(hp.schedule, hp.optimizer.learning_rate, hp.epochs)
    return [*callbacks, stopper] if stopper is not None else callbacks


def stopped_early_message(callbacks: list[Any], epochs: int) -> str | None:
    stopper = next((c for c in callbacks if isinstance(c, keras.callbacks.EarlyStopping)), None)
    if stopper is None or stopper.stopped_epoch <= 0:
        return None
    message = (
        f"Stopped early after epoch {stopper.stopped_epoch + 1} of {epochs}: {stopper.monitor} "
        f"had not improved for {stopper.patience} epoch{'' if stopper.patience == 1 else 's'}"
    )
    if stopper.restore_best_weights and stopper.best_weights is not None:
        message += f"; kept the weights of epoch {stopper.best_epoch + 1} ({stopper.best:.4g})"
    return message


def _mode(monitor: str) -> str:
    # Explicit, so a renamed metric never leaves Keras guessing the direction.
    return "max" if monitor.endswith("accuracy") else "min"
