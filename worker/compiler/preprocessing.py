"""Each backbone's ImageNet input preprocessing, built from stock Keras layers.

Putting it inside the model means the saved file takes plain 0-255 pixels, and
stock layers (no Lambda, no custom class) mean ``keras.saving.load_model`` opens
it anywhere without our code. The constants are keras.applications' own
(``imagenet_utils.preprocess_input`` modes "caffe", "tf" and "torch").
"""

from __future__ import annotations

from typing import Literal

import keras
import numpy as np

from worker.compiler.registry import Tensor

Mode = Literal["caffe", "tf", "torch", "none"]

CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
TORCH_MEAN_RGB = (0.485, 0.456, 0.406)
TORCH_STD_RGB = (0.229, 0.224, 0.225)


def preprocess(mode: Mode, x: Tensor, name: str) -> Tensor:
    channels = int(x.shape[-1])
    if mode == "none":
        return x
    if mode == "tf":
        return keras.layers.Rescaling(1.0 / 127.5, offset=-1.0, name=name)(x)
    if mode == "torch":
        mean = _per_channel(tuple(255.0 * m for m in TORCH_MEAN_RGB), channels)
        std = _per_channel(tuple(255.0 * s for s in TORCH_STD_RGB), channels)
        return keras.layers.Normalization(
            mean=mean, variance=[s * s for s in std], name=name
        )(x)
    if channels == 3:
        return _caffe_rgb(x, name)
    mean_bgr = _per_channel(CAFFE_MEAN_BGR, channels)
    return keras.layers.Normalization(mean=mean_bgr, variance=[1.0] * channels, name=name)(x)


def _caffe_rgb(x: Tensor, name: str) -> Tensor:
    # "caffe" flips RGB to BGR and subtracts the BGR mean. A frozen Dense on the
    # channel axis does both in one stock layer: a permutation kernel, bias -mean.
    layer = keras.layers.Dense(3, trainable=False, name=name)
    y = layer(x)
    flip = np.eye(3, dtype="float32")[::-1]
    layer.set_weights([flip, -np.asarray(CAFFE_MEAN_BGR, dtype="float32")])
    return y


def _per_channel(values: tuple[float, ...], channels: int) -> list[float]:
    # Inputs other than RGB (grey spectrograms) get the mean of the RGB constants,
    # which keeps the same value range the architecture was designed for.
    if channels == len(values):
        return list(values)
    return [float(np.mean(values))] * channels
