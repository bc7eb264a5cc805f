"""Training hyperparameters: validated in the API, read by the worker.

Stored runs keep the JSON they were created with; every field added since has a
default that reproduces the old behaviour (cross-entropy, constant learning
rate, no early stopping, no class weights, float32), so old rows still load.
Rules that involve two fields live in ``checks``; warnings and presets beside it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from backend.runs.hyperparameters.optimizers import (
    AdadeltaConfig,
    AdagradConfig,
    AdamConfig,
    AdamWConfig,
    AnyOptimizer,
    NadamConfig,
    OptimizerConfig,
    RMSpropConfig,
    SGDConfig,
    Strict,
)
from backend.runs.hyperparameters.training import (
    CategoricalCrossentropyLoss,
    ConstantSchedule,
    CosineSchedule,
    EarlyStoppingConfig,
    FocalLoss,
    LossConfig,
    Monitor,
    ReduceOnPlateauSchedule,
    ScheduleConfig,
    SparseCategoricalCrossentropyLoss,
    StepSchedule,
)

__all__ = [
    "AdadeltaConfig", "AdagradConfig", "AdamConfig", "AdamWConfig", "AnyOptimizer",
    "CategoricalCrossentropyLoss", "ConstantSchedule", "CosineSchedule", "EarlyStoppingConfig",
    "FocalLoss", "Hyperparameters", "LossConfig", "Monitor", "NadamConfig", "OptimizerConfig",
    "RMSpropConfig", "ReduceOnPlateauSchedule", "SGDConfig", "ScheduleConfig",
    "SparseCategoricalCrossentropyLoss", "StepSchedule",
]


class Hyperparameters(Strict):
    epochs: int = Field(default=10, ge=1, le=1000)
    batch_size: int = Field(default=32, ge=1, le=4096)
    optimizer: OptimizerConfig = Field(default_factory=AdadeltaConfig)
    loss: LossConfig = Field(default_factory=CategoricalCrossentropyLoss)
    schedule: ScheduleConfig = Field(default_factory=ConstantSchedule)
    early_stopping: EarlyStoppingConfig = Field(default_factory=EarlyStoppingConfig)
    class_weights: Literal["none", "balanced"] = Field(
        default="none", description="balanced: n / (classes * n_class), from the training split"
    )
    mixed_precision: bool = Field(
        default=False, description="mixed_float16 on a GPU worker; a CPU worker stays float32"
    )
    # Share of the training items held out for validation curves, stratified by class.
    validation_fraction: float = Field(default=0.2, ge=0.0, lt=0.9)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
