"""Training hyperparameters: validated in the API, read by the worker."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AdadeltaConfig(_Strict):
    """Defaults are the paper's setting (Keras 2 ``Adadelta(lr=1e-4, rho=0.95, epsilon=1e-8)``)."""

    type: Literal["adadelta"] = "adadelta"
    learning_rate: float = Field(default=1e-4, gt=0, le=10)
    rho: float = Field(default=0.95, gt=0, lt=1)
    epsilon: float = Field(default=1e-8, gt=0, le=1)


class AdamConfig(_Strict):
    type: Literal["adam"] = "adam"
    learning_rate: float = Field(default=1e-3, gt=0, le=10)
    beta_1: float = Field(default=0.9, ge=0, lt=1)
    beta_2: float = Field(default=0.999, ge=0, lt=1)
    epsilon: float = Field(default=1e-7, gt=0, le=1)


class SGDConfig(_Strict):
    type: Literal["sgd"] = "sgd"
    learning_rate: float = Field(default=1e-2, gt=0, le=10)
    momentum: float = Field(default=0.0, ge=0, lt=1)
    nesterov: bool = False


OptimizerConfig = Annotated[AdadeltaConfig | AdamConfig | SGDConfig, Field(discriminator="type")]


class Hyperparameters(_Strict):
    epochs: int = Field(default=10, ge=1, le=1000)
    batch_size: int = Field(default=32, ge=1, le=4096)
    optimizer: OptimizerConfig = Field(default_factory=AdadeltaConfig)
    # Share of the training items held out for validation curves, stratified by class.
    validation_fraction: float = Field(default=0.2, ge=0.0, lt=0.9)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
