"""Loaded models, kept warm between requests: a small LRU keyed by the file and its mtime.

The predict worker runs tasks one at a time in its main process (solo pool), so the cache
lives as long as the worker and needs no lock.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras

DEFAULT_SIZE = 4


@dataclass(frozen=True)
class LoadedModel:
    model: Any
    logits: bool  # a linear last layer: apply the softmax here, as the loss did in training
    shape: tuple[int, int, int]  # height, width, channels of the Input node


class ModelCache:
    def __init__(self, size: int | None = None) -> None:
        self.size = size or int(os.environ.get("DLSTUDIO_PREDICT_CACHE_SIZE", DEFAULT_SIZE))
        self._models: OrderedDict[tuple[str, float], LoadedModel] = OrderedDict()
        self.hits = 0
        self.loads = 0

    def get(self, path: Path) -> tuple[LoadedModel, bool]:
        """The model at `path` and whether it was already loaded."""
        key = (str(path), path.stat().st_mtime)
        found = self._models.get(key)
        if found is not None:
            self._models.move_to_end(key)
            self.hits += 1
            return found, True
        loaded = load(path)
        self.loads += 1
        self._models[key] = loaded
        while len(self._models) > self.size:
            self._models.popitem(last=False)
        return loaded, False


def load(path: Path) -> LoadedModel:
    # compile=False: the file carries no optimizer, and one saved under another backend may
    # not deserialize its compile config (STACK-NOTES).
    model = keras.saving.load_model(path, compile=False)
    activation = getattr(model.layers[-1], "activation", None)
    logits = getattr(activation, "__name__", "") == "linear"
    _, height, width, channels = model.input_shape
    return LoadedModel(model, logits, (int(height), int(width), int(channels)))


CACHE = ModelCache()
