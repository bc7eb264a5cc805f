"""Loss, learning-rate schedule and early stopping: each a small discriminated config."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from backend.runs.hyperparameters.optimizers import Strict

Monitor = Literal["val_loss", "val_accuracy", "loss", "accuracy"]


class CategoricalCrossentropyLoss(Strict):
    type: Literal["categorical_crossentropy"] = "categorical_crossentropy"
    label_smoothing: float = Field(
        default=0.0, ge=0, lt=1, description="Share of each target spread over all classes"
    )


class SparseCategoricalCrossentropyLoss(Strict):
    """The same loss on integer labels (the worker feeds class indices, not one-hot rows)."""

    type: Literal["sparse_categorical_crossentropy"] = "sparse_categorical_crossentropy"


class FocalLoss(Strict):
    """keras.losses.CategoricalFocalCrossentropy: down-weights examples already learned."""

    type: Literal["focal"] = "focal"
    gamma: float = Field(default=2.0, ge=0, le=10)
    alpha: float = Field(default=0.25, gt=0, le=1)
    label_smoothing: float = Field(default=0.0, ge=0, lt=1)


LossConfig = Annotated[
    CategoricalCrossentropyLoss | SparseCategoricalCrossentropyLoss | FocalLoss,
    Field(discriminator="type"),
]


class ConstantSchedule(Strict):
    type: Literal["constant"] = "constant"


class StepSchedule(Strict):
    """After every ``every_epochs`` epochs the learning rate is multiplied by ``factor``."""

    type: Literal["step"] = "step"
    every_epochs: int = Field(default=10, ge=1, le=1000)
    factor: float = Field(default=0.1, gt=0, lt=1)


class CosineSchedule(Strict):
    """Per epoch: optional linear warm-up, then half a cosine from lr down to
    ``lr * min_fraction`` at the run's last epoch."""

    type: Literal["cosine"] = "cosine"
    min_fraction: float = Field(default=0.0, ge=0, lt=1)
    warmup_epochs: int = Field(default=0, ge=0, le=1000)


class ReduceOnPlateauSchedule(Strict):
    """keras.callbacks.ReduceLROnPlateau: multiply by ``factor`` after ``patience``
    epochs without an improvement of ``monitor`` larger than ``min_delta``."""

    type: Literal["reduce_on_plateau"] = "reduce_on_plateau"
    monitor: Monitor = "val_loss"
    factor: float = Field(default=0.1, gt=0, lt=1)
    patience: int = Field(default=5, ge=0, le=1000)
    min_delta: float = Field(default=1e-4, ge=0, le=1e3)
    min_lr: float = Field(default=0.0, ge=0, le=10)


ScheduleConfig = Annotated[
    ConstantSchedule | StepSchedule | CosineSchedule | ReduceOnPlateauSchedule,
    Field(discriminator="type"),
]


class EarlyStoppingConfig(Strict):
    enabled: bool = False
    monitor: Monitor = "val_loss"
    patience: int = Field(default=5, ge=0, le=1000)
    min_delta: float = Field(default=0.0, ge=0, le=1e3)
    restore_best: bool = Field(
        default=True, description="Keep the weights of the best epoch, not the last"
    )
