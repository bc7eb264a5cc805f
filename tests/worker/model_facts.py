"""What two builds of "the same model" must agree on, as JSON. Imports only Keras, so the
exported-script tests can load it in a subprocess next to a script that has no dlstudio."""

from __future__ import annotations

import json
from typing import Any

import keras
import numpy as np


def _count(weights: list[Any]) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def _layers(model: Any) -> list[Any]:
    return [
        [layer.name, type(layer).__name__, _layers(layer) if isinstance(layer, keras.Model) else []]
        for layer in model.layers
    ]


def _strip(value: Any) -> Any:
    # Where a class was defined (dlstudio's module or the script) is not part of the model.
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "module"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def describe(model: Any) -> dict[str, Any]:
    config = _strip(json.loads(model.to_json()))
    config["config"].pop("name", None)
    return {
        "layers": _layers(model),
        "output_shape": list(model.output.shape),
        "trainable": _count(model.trainable_weights),
        "non_trainable": _count(model.non_trainable_weights),
        "config": config,
        "preprocess_weights": {
            layer.name: [np.asarray(w).round(4).tolist() for w in layer.get_weights()]
            for layer in model.layers
            if layer.name.endswith("_preprocess")
        },
    }


def _config(obj: Any) -> Any:
    config = {"class": type(obj).__name__, **obj.get_config()}
    # Keras numbers auto-generated names per process ("adadelta_1" after one "adadelta"),
    # so a name says how many came before, not what the object is.
    config.pop("name", None)
    return json.loads(json.dumps(config, default=str))


def training_facts(model: Any, callbacks: list[Any], epochs: int) -> dict[str, Any]:
    """A compiled model's optimizer and loss configs and its callbacks (schedules as the
    rate they give each epoch), as JSON."""
    described: list[Any] = []
    for callback in callbacks:
        if isinstance(callback, keras.callbacks.LearningRateScheduler):
            described.append([float(callback.schedule(e)) for e in range(epochs)])
        else:
            keys = ("monitor", "patience", "min_delta", "mode", "factor", "min_lr",
                    "restore_best_weights")  # fmt: skip
            described.append({k: getattr(callback, k, None) for k in keys})
    return {"optimizer": _config(model.optimizer), "loss": _config(model.loss),
            "callbacks": described}  # fmt: skip
