"""Tier 3, second half: trainable and non-trainable parameter counts per node, in pure Python.

The counts are the ones Keras reports for the compiled model (``layer.trainable_weights``
and ``layer.non_trainable_weights``); tests/worker/test_shape_agreement.py holds them to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backend.graph.backbone_blocks import BLOCK_TABLES
from backend.graph.backbones import BACKBONES
from backend.graph.schema import GraphSpec
from backend.graph.shapes import Shape, inputs_of


@dataclass(frozen=True)
class ParamCount:
    trainable: int = 0
    non_trainable: int = 0

    def __add__(self, other: ParamCount) -> ParamCount:
        return ParamCount(
            self.trainable + other.trainable, self.non_trainable + other.non_trainable
        )

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable


Counter = Callable[[Any, list[Shape]], ParamCount]
COUNTERS: dict[str, Counter] = {}
# The frozen Dense that flips RGB to BGR and subtracts the mean ("caffe" on 3 channels).
CAFFE_RGB_WEIGHTS = 3 * 3 + 3


def counter(*types: str) -> Callable[[Counter], Counter]:
    def register(function: Counter) -> Counter:
        for type_name in types:
            COUNTERS[type_name] = function
        return function

    return register


def count_params(spec: GraphSpec, shapes: dict[str, Shape]) -> dict[str, ParamCount]:
    """Counts for every node whose input shapes are known (all of them in a valid graph)."""
    sources = inputs_of(spec)
    counts: dict[str, ParamCount] = {}
    for node in spec.nodes:
        if node.id not in shapes or any(s not in shapes for s in sources[node.id]):
            continue
        counts[node.id] = COUNTERS[node.type](node, [shapes[s] for s in sources[node.id]])
    return counts


def total(counts: dict[str, ParamCount]) -> ParamCount:
    return sum(counts.values(), ParamCount())


@counter(
    "Input",
    "Dropout",
    "MaxPooling2D",
    "AveragePooling2D",
    "GlobalMaxPooling2D",
    "GlobalAveragePooling2D",
    "Flatten",
    "Activation",
    "Add",
    "Concatenate",
    "Resizing",
    "Rescaling",
    "RandomTimeShift",
    "TimeMasking",
    "FrequencyMasking",
)
def _no_weights(node: Any, inputs: list[Shape]) -> ParamCount:
    return ParamCount()


@counter("Dense")
def _dense(node: Any, inputs: list[Shape]) -> ParamCount:
    units = node.params.units
    return ParamCount(math.prod(inputs[0]) * units + (units if node.params.use_bias else 0))


@counter("Conv2D")
def _conv2d(node: Any, inputs: list[Shape]) -> ParamCount:
    p, channels = node.params, inputs[0][-1]
    return ParamCount(p.kernel_size**2 * channels * p.filters + p.filters)


@counter("SeparableConv2D")
def _separable_conv2d(node: Any, inputs: list[Shape]) -> ParamCount:
    p, channels = node.params, inputs[0][-1]
    depthwise = p.kernel_size**2 * channels * p.depth_multiplier
    pointwise = channels * p.depth_multiplier * p.filters
    return ParamCount(depthwise + pointwise + p.filters)


@counter("BatchNormalization")
def _batch_norm(node: Any, inputs: list[Shape]) -> ParamCount:
    # gamma and beta learn; the moving mean and variance are updated, not trained.
    channels = inputs[0][-1]
    return ParamCount(2 * channels, 2 * channels)


@counter("Backbone")
def _backbone(node: Any, inputs: list[Shape]) -> ParamCount:
    info = BACKBONES[node.params.architecture]
    # ImageNet weights get a grey input repeated to RGB before the network.
    channels = 3 if node.params.weights == "imagenet" else inputs[0][-1]
    w = info.weights
    trainable = w.trainable + w.trainable_per_channel * channels
    fixed = w.non_trainable + w.non_trainable_per_channel * channels
    if info.preprocessing == "caffe" and channels == 3:
        fixed += CAFFE_RGB_WEIGHTS
    if node.params.trainable == "frozen":
        return ParamCount(0, trainable + fixed)
    if node.params.trainable == "last_blocks":
        trained = _last_blocks(node.params.architecture, node.params.trainable_blocks, channels)
        return ParamCount(trained, trainable + fixed - trained)
    return ParamCount(trainable, fixed)


def _last_blocks(architecture: str, blocks: int, channels: int) -> int:
    """Trainable weights of the last ``blocks`` blocks; the rest of the backbone is frozen."""
    table = BLOCK_TABLES[architecture]
    first_trained = len(table.blocks) - blocks + 1  # 1-based, as first_conv_block
    trained = sum(count for _, count in table.blocks[first_trained - 1 :])
    if table.first_conv_block >= first_trained:
        trained += BACKBONES[architecture].weights.trainable_per_channel * channels
    return trained
