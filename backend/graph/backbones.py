"""Pure-Python facts about the pre-trained backbones (include_top=False), mirroring Keras."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


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


@dataclass(frozen=True)
class BackboneInfo:
    channels: int
    min_size: int
    spatial: Callable[[int], int]


BACKBONES: dict[str, BackboneInfo] = {
    "ResNet50": BackboneInfo(2048, 32, _resnet),
    "ResNet101": BackboneInfo(2048, 32, _resnet),
    "InceptionV3": BackboneInfo(2048, 75, _inception_v3),
    "MobileNetV2": BackboneInfo(1280, 32, lambda s: _halve_ceil(s, 5)),
    "EfficientNetB0": BackboneInfo(1280, 32, lambda s: _halve_ceil(s, 5)),
    "VGG16": BackboneInfo(512, 32, _vgg),
    "DenseNet121": BackboneInfo(1024, 32, _densenet),
    "Xception": BackboneInfo(2048, 71, _xception),
}
