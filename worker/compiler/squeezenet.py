"""SqueezeNet 1.1 (Iandola et al. 2016) in Keras, laid out as torchvision's ``squeezenet1_1``.

Only the features (``include_top=False``): the output has 512 channels. The model takes
ImageNet-normalised input ("torch" preprocessing); the worker adds that layer in front.

Layer names are torchvision's module paths with ``.`` replaced by ``_`` so that every
weight has one obvious home (worker/compiler/torchvision_weights.py relies on it):

=====================  ==============================================
Keras layer            torchvision module
=====================  ==============================================
``features_0``         ``features.0`` (Conv2d 3->64, 3x3, stride 2)
``features_1``         ReLU
``features_2_pad``     (no weights) right/bottom padding for ceil_mode
``features_2``         ``features.2`` MaxPool2d(3, 2, ceil_mode=True)
``features_N_squeeze`` ``features.N.squeeze`` (1x1), N in 3,4,6,7,9-12
``features_N_expand1x1`` / ``features_N_expand3x3``  the two expand convs
``features_N_concat``  ``torch.cat`` of the expand branches (channels last)
``features_5``, ``features_8``  the other two ceil_mode max pools
=====================  ==============================================

PyTorch's ``ceil_mode=True`` pooling (no padding) gives ``ceil((n - 3) / 2) + 1``
positions (``n >= 2``); the extra last window hangs one row/column over the bottom/right
edge when ``n`` is even. Every pool here follows a ReLU, so padding that edge with zeros and pooling
"valid" is exact: the window always holds a real value ``>= 0``. The padding layer is
always present (possibly padding nothing) so the layer list, and with it the Keras weight
file, does not depend on the input size.
"""

from __future__ import annotations

import math
from typing import Any

import keras

WEIGHTS_FILE = "squeezenet1_1_dlstudio.weights.h5"
# (torchvision index, squeeze, expand1x1, expand3x3); pools at indices 2, 5 and 8.
FIRES = (
    (3, 16, 64, 64),
    (4, 16, 64, 64),
    (6, 32, 128, 128),
    (7, 32, 128, 128),
    (9, 48, 192, 192),
    (10, 48, 192, 192),
    (11, 64, 256, 256),
    (12, 64, 256, 256),
)
POOLS = (2, 5, 8)


def ceil_pool_size(size: int) -> int:
    """Output of MaxPool2d(3, 2, ceil_mode=True) on ``size`` positions (``size >= 2``)."""
    return math.ceil((size - 3) / 2) + 1


def spatial(size: int) -> int:
    """Output height (or width) of the features for an input of ``size``."""
    size = (size - 3) // 2 + 1
    for _ in POOLS:
        size = ceil_pool_size(size)
    return size


def min_size() -> int:
    """Smallest input PyTorch accepts: every pool needs 2 positions (17; 16 fails there)."""
    size = 3
    while not _fits(size):
        size += 1
    return size


def _fits(size: int) -> bool:
    size = (size - 3) // 2 + 1
    for _ in POOLS:
        if size < 2:
            return False
        size = ceil_pool_size(size)
    return True


def _ceil_pool(x: Any, index: int) -> Any:
    height, width = int(x.shape[1]), int(x.shape[2])
    pad = ((0, (height - 3) % 2), (0, (width - 3) % 2))
    x = keras.layers.ZeroPadding2D(pad, name=f"features_{index}_pad")(x)
    return keras.layers.MaxPooling2D(3, 2, padding="valid", name=f"features_{index}")(x)


def _fire(x: Any, index: int, squeeze: int, expand1: int, expand3: int) -> Any:
    prefix = f"features_{index}"
    x = keras.layers.Conv2D(squeeze, 1, name=f"{prefix}_squeeze")(x)
    x = keras.layers.ReLU(name=f"{prefix}_squeeze_activation")(x)
    a = keras.layers.Conv2D(expand1, 1, name=f"{prefix}_expand1x1")(x)
    a = keras.layers.ReLU(name=f"{prefix}_expand1x1_activation")(a)
    b = keras.layers.Conv2D(expand3, 3, padding="same", name=f"{prefix}_expand3x3")(x)
    b = keras.layers.ReLU(name=f"{prefix}_expand3x3_activation")(b)
    return keras.layers.Concatenate(axis=-1, name=f"{prefix}_concat")([a, b])


def SqueezeNet11(  # named like keras.applications factories
    include_top: bool = False,
    weights: str | None = None,
    input_shape: tuple[int, ...] = (224, 224, 3),
    name: str = "squeezenet1_1",
) -> keras.Model:
    """The features of SqueezeNet 1.1; ``weights="imagenet"`` loads the converted file."""
    from worker.compiler.torchvision_weights import imagenet_weights_path

    if include_top:
        raise ValueError("SqueezeNet11 is built without its classifier (include_top=False)")
    if weights not in (None, "imagenet"):
        raise ValueError(f"weights must be None or 'imagenet', not {weights!r}")
    path = imagenet_weights_path("squeezenet1_1") if weights == "imagenet" else None
    inputs = keras.Input(shape=input_shape)
    height, width = int(input_shape[0]), int(input_shape[1])
    if min(height, width) < min_size():
        raise ValueError(f"SqueezeNet11 needs inputs of at least {min_size()}x{min_size()}")
    x = keras.layers.Conv2D(64, 3, strides=2, padding="valid", name="features_0")(inputs)
    x = keras.layers.ReLU(name="features_1")(x)
    fires = iter(FIRES)
    for pool in POOLS:
        x = _ceil_pool(x, pool)
        for _ in range(2):
            x = _fire(x, *next(fires))
    for fire in fires:
        x = _fire(x, *fire)
    model = keras.Model(inputs, x, name=name)
    if path is not None:
        model.load_weights(path)
    return model
