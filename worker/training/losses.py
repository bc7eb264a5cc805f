"""Hyperparameters.loss -> a Keras loss, the labels it expects, and class weights."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from backend.runs.hyperparameters import (
    CategoricalCrossentropyLoss,
    FocalLoss,
    LossConfig,
    SparseCategoricalCrossentropyLoss,
)
from worker.training.data import ImageBatches


def make_loss(config: LossConfig, from_logits: bool) -> Any:
    match config:
        case CategoricalCrossentropyLoss():
            return keras.losses.CategoricalCrossentropy(
                from_logits=from_logits, label_smoothing=config.label_smoothing
            )
        case SparseCategoricalCrossentropyLoss():
            return keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)
        case FocalLoss():
            return keras.losses.CategoricalFocalCrossentropy(
                alpha=config.alpha, gamma=config.gamma, from_logits=from_logits,
                label_smoothing=config.label_smoothing,
            )
    raise TypeError(f"no Keras loss for {type(config).__name__}")


class IntegerLabelBatches(ImageBatches):
    """The same batches with class indices instead of one-hot rows, as the sparse loss wants."""

    def __getitem__(self, index: int) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        images, one_hot = super().__getitem__(index)
        return images, one_hot.argmax(axis=1).astype(np.int32)


def batches_class(config: LossConfig) -> type[ImageBatches]:
    return IntegerLabelBatches if config.type == "sparse_categorical_crossentropy" else ImageBatches


def balanced_class_weights(labels: Sequence[int], num_classes: int) -> dict[int, float]:
    """n / (classes present * n_class), as scikit-learn's "balanced": each class then
    carries the same total weight. A class absent from training gets weight 1 (it
    never occurs, so its weight never matters, but Keras wants every index)."""
    counts = Counter(labels)
    present = len(counts)
    total = len(labels)
    return {
        label: (total / (present * counts[label]) if counts[label] else 1.0)
        for label in range(num_classes)
    }
