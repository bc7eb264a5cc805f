"""Hyperparameters.optimizer -> a Keras optimizer, parameter for parameter."""

from __future__ import annotations

from typing import Any

import keras

from backend.runs.hyperparameters import AdadeltaConfig, AdamConfig, OptimizerConfig, SGDConfig


def make_optimizer(config: OptimizerConfig) -> Any:
    match config:
        case AdadeltaConfig():
            return keras.optimizers.Adadelta(
                learning_rate=config.learning_rate, rho=config.rho, epsilon=config.epsilon
            )
        case AdamConfig():
            return keras.optimizers.Adam(
                learning_rate=config.learning_rate, beta_1=config.beta_1,
                beta_2=config.beta_2, epsilon=config.epsilon,
            )
        case SGDConfig():
            return keras.optimizers.SGD(
                learning_rate=config.learning_rate, momentum=config.momentum,
                nesterov=config.nesterov,
            )
    raise TypeError(f"no Keras optimizer for {type(config).__name__}")
