"""Wide ResNet-50-2 (Zagoruyko and Komodakis 2016) as torchvision's ``wide_resnet50_2``.

ResNet-50's bottleneck layout, blocks ``[3, 4, 6, 3]``, with ``width_per_group=128``: the
inner 1x1 and 3x3 convolutions of every bottleneck are twice as wide as ResNet-50's
(128, 256, 512, 1024), the block outputs are the same (256, 512, 1024, 2048). As in
torchvision (ResNet v1.5) a stage's stride sits on the 3x3 convolution, and the projection
shortcut is a strided 1x1 convolution plus BatchNorm. Convolutions have no bias;
BatchNorm uses PyTorch's epsilon 1e-5 and momentum 0.1 (Keras momentum 0.9).

Only the features (``include_top=False``): the output has 2048 channels, the input
``ceil(n / 32)`` positions per side. The model takes ImageNet-normalised input ("torch"
preprocessing); the worker adds that layer in front.

Layer names are torchvision's module paths with ``.`` replaced by ``_`` (``conv1``, ``bn1``,
``layer2_0_conv2``, ``layer2_0_downsample_0``, ``layer2_0_downsample_1``, ...), which is how
worker/compiler/torchvision_weights.py finds every tensor's home. Layers without weights:
``relu``, ``maxpool_pad``, ``maxpool``, ``layerS_B_pad`` (before a strided 3x3),
``layerS_B_reluN``, ``layerS_B_add``, ``layerS_B_out``. PyTorch's zero padding of the
convolutions is ``ZeroPadding2D`` + "valid"; the max pool's padding is zeros too, which is
exact because it follows a ReLU.
"""

from __future__ import annotations

from typing import Any

import keras

WEIGHTS_FILE = "wide_resnet50_2_dlstudio.weights.h5"
STAGES = ((1, 3, 128, 256, 1), (2, 4, 256, 512, 2), (3, 6, 512, 1024, 2), (4, 3, 1024, 2048, 2))
MIN_SIZE = 32
BN_EPSILON = 1e-5
BN_MOMENTUM = 0.9  # PyTorch's momentum 0.1


def _bn(name: str) -> Any:
    return keras.layers.BatchNormalization(epsilon=BN_EPSILON, momentum=BN_MOMENTUM, name=name)


def _conv(filters: int, kernel: int, name: str, strides: int = 1) -> Any:
    return keras.layers.Conv2D(filters, kernel, strides=strides, use_bias=False, name=name)


def _bottleneck(x: Any, prefix: str, width: int, out: int, stride: int) -> Any:
    shortcut = x
    y = _conv(width, 1, f"{prefix}_conv1")(x)
    y = keras.layers.ReLU(name=f"{prefix}_relu1")(_bn(f"{prefix}_bn1")(y))
    y = keras.layers.ZeroPadding2D(1, name=f"{prefix}_pad")(y)
    y = _conv(width, 3, f"{prefix}_conv2", strides=stride)(y)
    y = keras.layers.ReLU(name=f"{prefix}_relu2")(_bn(f"{prefix}_bn2")(y))
    y = _bn(f"{prefix}_bn3")(_conv(out, 1, f"{prefix}_conv3")(y))
    if stride != 1 or int(x.shape[-1]) != out:
        shortcut = _conv(out, 1, f"{prefix}_downsample_0", strides=stride)(x)
        shortcut = _bn(f"{prefix}_downsample_1")(shortcut)
    y = keras.layers.Add(name=f"{prefix}_add")([y, shortcut])
    return keras.layers.ReLU(name=f"{prefix}_out")(y)


def WideResNet50_2(  # named like keras.applications factories
    include_top: bool = False,
    weights: str | None = None,
    input_shape: tuple[int, ...] = (224, 224, 3),
    name: str = "wide_resnet50_2",
) -> keras.Model:
    """The features of WRN-50-2; ``weights="imagenet"`` loads the converted file."""
    from worker.compiler.torchvision_weights import imagenet_weights_path

    if include_top:
        raise ValueError("WideResNet50_2 is built without its classifier (include_top=False)")
    if weights not in (None, "imagenet"):
        raise ValueError(f"weights must be None or 'imagenet', not {weights!r}")
    path = imagenet_weights_path("wide_resnet50_2") if weights == "imagenet" else None
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.ZeroPadding2D(3, name="conv1_pad")(inputs)
    x = _conv(64, 7, "conv1", strides=2)(x)
    x = keras.layers.ReLU(name="relu")(_bn("bn1")(x))
    x = keras.layers.ZeroPadding2D(1, name="maxpool_pad")(x)
    x = keras.layers.MaxPooling2D(3, 2, name="maxpool")(x)
    for stage, blocks, width, out, stride in STAGES:
        for block in range(blocks):
            x = _bottleneck(x, f"layer{stage}_{block}", width, out, stride if block == 0 else 1)
    model = keras.Model(inputs, x, name=name)
    if path is not None:
        model.load_weights(path)
    return model
