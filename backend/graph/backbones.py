"""Pure-Python facts about the pre-trained backbones (include_top=False), mirroring Keras.

Blocks, for ``trainable: "last_blocks"`` (the last ``trainable_blocks`` train, all before
them is frozen, and frozen BatchNorm layers run in inference mode, as Keras runs any
BatchNorm whose ``trainable`` is False). A block is the unit the Keras model summary names;
layers before block 1 are the *stem* and stay frozen for every N (``trainable: "all"``
trains the stem too); the network's top after its last block counts as part of the last
block; transition layers (pools, DenseNet's ``poolN_*``) belong to the block they follow.

================  ======  ==================================================================
Architecture      Blocks  Which
================  ======  ==================================================================
ResNet50          16      residual blocks ``conv2_block1`` .. ``conv5_block3``; stem conv1
ResNet101         33      ``conv2_block1`` .. ``conv5_block3`` (conv4 has 23)
InceptionV3       11      modules ``mixed0`` .. ``mixed10``; stem: the five convs and pools
MobileNetV2       16      inverted residuals ``block_1`` .. ``block_16``; stem: ``Conv1`` and
                          the first (``expanded_conv``); top ``Conv_1`` is in ``block_16``
EfficientNetB0    16      MBConv blocks ``block1a`` .. ``block7a``; ``top_conv``/``top_bn``
                          are in ``block7a``; stem: rescaling, normalisation, ``stem_conv``
VGG16             5       ``block1`` .. ``block5`` (convs + pool); no stem
DenseNet121       58      dense layers ``conv2_block1`` .. ``conv5_block16``; the final
                          ``bn`` is in ``conv5_block16``; stem: conv1 and pool1
Xception          14      ``block1`` (entry convs) .. ``block14`` (exit convs); no stem
SqueezeNet11      8       fire modules ``features_3`` .. ``features_12``; stem: first conv
                          and pool
WideResNet50_2    16      bottlenecks ``layer1_0`` .. ``layer4_2``; stem: conv1, bn1, pool
================  ======  ==================================================================

The per-block counts are in backend/graph/backbone_blocks.py (generated; the worker's
definition is worker/compiler/backbone_blocks.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Preprocessing = Literal["caffe", "tf", "torch", "none"]


def _valid(size: int, kernel: int, stride: int) -> int:
    return (size - kernel) // stride + 1


def _halve_ceil(size: int, times: int) -> int:
    for _ in range(times):
        size = math.ceil(size / 2)
    return size


def _resnet(size: int) -> int:
    size = _valid(size + 6, 7, 2)  # ZeroPadding(3) + 7x7/2 conv
    size = _valid(size + 2, 3, 2)  # ZeroPadding(1) + 3x3/2 max pool
    for _ in range(3):  # stages 3-5 start with a 1x1/2 conv
        size = _valid(size, 1, 2)
    return size


def _densenet(size: int) -> int:
    size = _valid(_valid(size + 6, 7, 2) + 2, 3, 2)
    for _ in range(3):  # transition blocks: 2x2/2 average pooling
        size //= 2
    return size


def _vgg(size: int) -> int:
    for _ in range(5):
        size //= 2
    return size


def _inception_v3(size: int) -> int:
    size = _valid(size, 3, 2) - 2  # 3x3/2 valid, 3x3 valid, 3x3 same
    size = _valid(size, 3, 2) - 2  # max pool 3x3/2, 1x1, 3x3 valid
    for _ in range(3):  # max pool, mixed3, mixed8: 3x3/2 valid
        size = _valid(size, 3, 2)
    return size


def _xception(size: int) -> int:
    return _halve_ceil(_valid(size, 3, 2) - 2, 4)


def _squeezenet11(size: int) -> int:
    # 3x3/2 valid conv, then three MaxPool2d(3, 2, ceil_mode=True) as PyTorch counts them.
    size = _valid(size, 3, 2)
    for _ in range(3):
        size = math.ceil((size - 3) / 2) + 1
    return size


def _wide_resnet(size: int) -> int:
    # torchvision's ResNet: 7x7/2 pad 3, max pool 3/2 pad 1, stride 2 on three stages' 3x3
    # pad 1 (and their 1x1/2 shortcuts): each is ceil(n / 2).
    return _halve_ceil(size, 5)


@dataclass(frozen=True)
class WeightCounts:
    """Weights of the network without its top, as a line in the input channels.

    Only the first convolution sees the input channels, so every count is
    ``base + per_channel * channels``. "Non-trainable" is what Keras reports with
    the network trainable: BatchNorm moving statistics (and EfficientNet's input
    Normalization); frozen, everything is non-trainable.

    Regenerate (weights=None, input 96x96; the counts do not depend on the size):
    ``.venv/bin/python -m worker.compiler.weight_table`` prints these rows.
    """

    trainable: int
    trainable_per_channel: int
    non_trainable: int
    non_trainable_per_channel: int = 0


@dataclass(frozen=True)
class BackboneInfo:
    channels: int
    min_size: int
    spatial: Callable[[int], int]
    weights: WeightCounts
    # keras.applications' preprocess_input mode, built into the model by the worker.
    preprocessing: Preprocessing


BACKBONES: dict[str, BackboneInfo] = {
    "ResNet50": BackboneInfo(2048, 32, _resnet, WeightCounts(23_525_184, 3136, 53_120), "caffe"),
    "ResNet101": BackboneInfo(2048, 32, _resnet, WeightCounts(42_543_424, 3136, 105_344), "caffe"),
    "InceptionV3": BackboneInfo(
        2048, 75, _inception_v3, WeightCounts(21_767_488, 288, 34_432), "tf"
    ),
    "MobileNetV2": BackboneInfo(
        1280, 32, lambda s: _halve_ceil(s, 5), WeightCounts(2_223_008, 288, 34_112), "tf"
    ),
    "EfficientNetB0": BackboneInfo(
        1280, 32, lambda s: _halve_ceil(s, 5), WeightCounts(4_006_684, 288, 42_017, 2), "none"
    ),
    "VGG16": BackboneInfo(512, 32, _vgg, WeightCounts(14_712_960, 576, 0), "caffe"),
    "DenseNet121": BackboneInfo(
        1024, 32, _densenet, WeightCounts(6_944_448, 3136, 83_648), "torch"
    ),
    "Xception": BackboneInfo(2048, 71, _xception, WeightCounts(20_806_088, 288, 54_528), "tf"),
    # Built from torchvision's definitions (worker/compiler/squeezenet.py, wide_resnet.py).
    # 17 is the smallest input PyTorch's ceil_mode pools accept; 32 as for ResNet50.
    "SqueezeNet11": BackboneInfo(512, 17, _squeezenet11, WeightCounts(720_768, 576, 0), "torch"),
    "WideResNet50_2": BackboneInfo(
        2048, 32, _wide_resnet, WeightCounts(66_824_832, 3136, 68_224), "torch"
    ),
}
