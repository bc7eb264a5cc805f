"""Pretrained-architecture backbones, without their tops.

Most come from keras.applications. SqueezeNet 1.1 and WRN-50-2 are not there: they are built
from torchvision's definitions (worker/compiler/squeezenet.py, worker/compiler/wide_resnet.py)
and their ImageNet weights are converted files (worker/compiler/torchvision_weights.py) that
the worker never downloads.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import keras

from backend.errors import Problem
from backend.graph.schema import BackboneNode
from worker.compiler.backbone_blocks import freeze_before_last_blocks
from worker.compiler.errors import WeightsUnavailable, node_error
from worker.compiler.preprocessing import Mode, preprocess
from worker.compiler.registry import Tensor, register
from worker.compiler.squeezenet import SqueezeNet11
from worker.compiler.torchvision_weights import MissingWeightsFile, keras_models_dir
from worker.compiler.weights_files import load_weights_file
from worker.compiler.wide_resnet import WideResNet50_2

__all__ = ["ARCHITECTURES", "Architecture", "build_backbone", "keras_models_dir"]

# keras.utils.get_file has no timeout of its own; a network that drops packets
# would hang the job forever instead of failing it.
DOWNLOAD_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Architecture:
    factory: Callable[..., Any]
    preprocessing: Mode


apps = keras.applications
ARCHITECTURES: dict[str, Architecture] = {
    "ResNet50": Architecture(apps.ResNet50, "caffe"),
    "ResNet101": Architecture(apps.ResNet101, "caffe"),
    "InceptionV3": Architecture(apps.InceptionV3, "tf"),
    "MobileNetV2": Architecture(apps.MobileNetV2, "tf"),
    # EfficientNet rescales and normalises inside its own graph.
    "EfficientNetB0": Architecture(apps.EfficientNetB0, "none"),
    "VGG16": Architecture(apps.VGG16, "caffe"),
    "DenseNet121": Architecture(apps.DenseNet121, "torch"),
    "Xception": Architecture(apps.Xception, "tf"),
    # torchvision's networks: ImageNet mean/std on 0-1 pixels, as torchvision trained them.
    "SqueezeNet11": Architecture(SqueezeNet11, "torch"),
    "WideResNet50_2": Architecture(WideResNet50_2, "torch"),
}


@register(BackboneNode)
def build_backbone(node: BackboneNode, inputs: Sequence[Tensor]) -> Tensor:
    p = node.params
    arch = ARCHITECTURES[p.architecture]
    x = inputs[0]
    if p.weights == "imagenet":
        x = _to_rgb(node, x)
    x = preprocess(arch.preprocessing, x, name=f"{node.id}_preprocess")
    network = _instantiate(node, arch, input_shape=tuple(x.shape[1:]))
    if p.weights == "file":
        load_weights_file(node, network)
    if p.trainable == "frozen":
        network.trainable = False
        # training=False keeps frozen BatchNorm layers on their ImageNet
        # statistics instead of re-estimating them from small batches.
        return network(x, training=False)
    if p.trainable == "last_blocks":
        assert p.trainable_blocks is not None  # BackboneParams requires it
        freeze_before_last_blocks(network, p.architecture, p.trainable_blocks)
    return network(x)


def _to_rgb(node: BackboneNode, x: Tensor) -> Tensor:
    channels = int(x.shape[-1])
    if channels == 3:
        return x
    if channels == 1:
        # ImageNet filters expect three colour planes; grey repeated three times
        # is what a grey photo looks like in RGB.
        return keras.layers.Concatenate(name=f"{node.id}_to_rgb")([x, x, x])
    raise node_error(
        node.id,
        f"Backbone '{node.id}': ImageNet weights need 1 or 3 input channels, "
        f"the input has {channels}. Use weights 'none' or change the Input's channels.",
        "params", "weights",
    )


def _instantiate(node: BackboneNode, arch: Architecture, input_shape: tuple[int, ...]) -> Any:
    weights = "imagenet" if node.params.weights == "imagenet" else None
    try:
        with _socket_timeout(DOWNLOAD_TIMEOUT_S):
            return arch.factory(
                include_top=False, weights=weights, input_shape=input_shape, name=node.id
            )
    except MissingWeightsFile as exc:
        raise _converted_weights_missing(node, exc) from exc
    except Exception as exc:
        url = _failed_url(exc)
        if url is None:
            raise
        raise _weights_unavailable(node, url, exc) from exc


def _failed_url(exc: Exception) -> str | None:
    # Keras reports a failed download only as a bare Exception with this text.
    match = re.match(r"URL fetch failure on (\S+?): ", str(exc))
    return match.group(1) if match else None


def _weights_unavailable(node: BackboneNode, url: str, exc: Exception) -> WeightsUnavailable:
    file_name = url.rsplit("/", 1)[-1]
    target = keras_models_dir() / file_name
    reason = str(exc).split(" -- ", 1)[-1]
    message = (
        f"Backbone '{node.id}': the ImageNet weights for {node.params.architecture} are not on "
        f"this machine and could not be downloaded ({reason}). Download {file_name} from {url} "
        f"and place it at {target} (the folder is $KERAS_HOME/models, default ~/.keras/models), "
        f"or set the backbone's weights to 'none'."
    )
    problem = Problem(("nodes", node.id, "params", "weights"), message)
    return WeightsUnavailable("ImageNet weights are not available offline", [problem])


def _converted_weights_missing(node: BackboneNode, exc: MissingWeightsFile) -> WeightsUnavailable:
    message = (
        f"Backbone '{node.id}': the ImageNet weights for {node.params.architecture} are not on "
        f"this machine. They are not downloaded: convert torchvision's published {exc.network} "
        f"state dict with `{exc.command}`, which writes {exc.path.name} to {exc.path} (the "
        f"folder is $KERAS_HOME/models, default ~/.keras/models), or set the backbone's "
        f"weights to 'none'."
    )
    problem = Problem(("nodes", node.id, "params", "weights"), message)
    return WeightsUnavailable("ImageNet weights are not available offline", [problem])


@contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)
