"""Hyperparameters.optimizer -> a Keras optimizer, parameter for parameter."""

from __future__ import annotations

from typing import Any

import keras

from backend.runs.hyperparameters import AnyOptimizer

KERAS_CLASSES: dict[str, str] = {
    "adadelta": "Adadelta",
    "adam": "Adam",
    "adamw": "AdamW",
    "nadam": "Nadam",
    "sgd": "SGD",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
}


def make_optimizer(config: AnyOptimizer) -> Any:
    """Every field but ``type`` and ``decay`` is a keyword of the Keras class of the
    same name; unset optional ones (None) are left to Keras's defaults."""
    kwargs = {
        key: value
        for key, value in config.model_dump(exclude={"type", "decay"}).items()
        if value is not None
    }
    kwargs["learning_rate"] = learning_rate(config)
    return getattr(keras.optimizers, KERAS_CLASSES[config.type])(**kwargs)


def learning_rate(config: AnyOptimizer) -> Any:
    """A float, or Keras 2's ``decay`` as the schedule that reproduces it:
    Keras 2 used ``lr / (1 + decay * iterations)``, updated every batch."""
    if config.decay <= 0:
        return config.learning_rate
    return keras.optimizers.schedules.InverseTimeDecay(
        initial_learning_rate=config.learning_rate, decay_steps=1, decay_rate=config.decay
    )
