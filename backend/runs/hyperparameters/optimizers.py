"""The seven optimizers, each with every Keras 3 parameter a user may set.

``decay`` is Keras 2's per-step learning-rate decay, which Keras 3 dropped: the
worker maps it to ``keras.optimizers.schedules.InverseTimeDecay(learning_rate,
decay_steps=1, decay_rate=decay)``, i.e. ``lr / (1 + decay * step)`` after every
batch, exactly as Keras 2 applied it. The paper's ``decay=0`` means none.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

DECAY_DESCRIPTION = (
    "Keras 2 style learning-rate decay per step: lr / (1 + decay * step), run as "
    "keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay). "
    "0 = none. Use it or a schedule, not both."
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _OptimizerBase(Strict):
    """Parameters every Keras 3 optimizer takes (keras.optimizers.Optimizer)."""

    learning_rate: float = Field(default=1e-3, gt=0, le=10)
    decay: float = Field(default=0.0, ge=0, le=1, description=DECAY_DESCRIPTION)
    weight_decay: float | None = Field(
        default=None, ge=0, le=1, description="Decoupled weight decay; none when empty"
    )
    clipnorm: float | None = Field(default=None, gt=0, le=1e6)
    clipvalue: float | None = Field(default=None, gt=0, le=1e6)
    global_clipnorm: float | None = Field(default=None, gt=0, le=1e6)
    use_ema: bool = False
    ema_momentum: float = Field(default=0.99, ge=0, le=1)


class AdadeltaConfig(_OptimizerBase):
    """Defaults are the paper's setting (Keras 2 ``Adadelta(lr=1e-4, rho=0.95, epsilon=1e-8)``)."""

    type: Literal["adadelta"] = "adadelta"
    learning_rate: float = Field(default=1e-4, gt=0, le=10)
    rho: float = Field(default=0.95, gt=0, lt=1)
    epsilon: float = Field(default=1e-8, gt=0, le=1)


class _Moments(_OptimizerBase):
    beta_1: float = Field(default=0.9, ge=0, lt=1)
    beta_2: float = Field(default=0.999, ge=0, lt=1)
    epsilon: float = Field(default=1e-7, gt=0, le=1)


class AdamConfig(_Moments):
    type: Literal["adam"] = "adam"
    amsgrad: bool = False


class AdamWConfig(_Moments):
    type: Literal["adamw"] = "adamw"
    weight_decay: float | None = Field(default=0.004, ge=0, le=1)
    amsgrad: bool = False


class NadamConfig(_Moments):
    type: Literal["nadam"] = "nadam"


class SGDConfig(_OptimizerBase):
    type: Literal["sgd"] = "sgd"
    learning_rate: float = Field(default=1e-2, gt=0, le=10)
    momentum: float = Field(default=0.0, ge=0, lt=1)
    nesterov: bool = False


class RMSpropConfig(_OptimizerBase):
    type: Literal["rmsprop"] = "rmsprop"
    rho: float = Field(default=0.9, gt=0, lt=1)
    momentum: float = Field(default=0.0, ge=0, lt=1)
    epsilon: float = Field(default=1e-7, gt=0, le=1)
    centered: bool = False


class AdagradConfig(_OptimizerBase):
    type: Literal["adagrad"] = "adagrad"
    initial_accumulator_value: float = Field(default=0.1, ge=0, le=1e3)
    epsilon: float = Field(default=1e-7, gt=0, le=1)


AnyOptimizer = (
    AdadeltaConfig | AdamConfig | AdamWConfig | NadamConfig | SGDConfig | RMSpropConfig
    | AdagradConfig
)
OptimizerConfig = Annotated[AnyOptimizer, Field(discriminator="type")]
