"""Converts torchvision's ImageNet state dicts into the Keras weight files our backbones load.

Usage (the ``.pth`` files are torchvision's published ones, e.g. ``squeezenet1_1-b8a52dc0.pth``
and ``wide_resnet50_2-95faca4d.pth``; any state dict of the same layout works)::

    python -m worker.compiler.torchvision_weights squeezenet1_1 state_dict.pth out.weights.h5
    python -m worker.compiler.torchvision_weights wide_resnet50_2 state_dict.pth out.weights.h5

Weight file format
------------------
The output is a Keras 3 weights file, exactly what ``model.save_weights(path)`` writes for
the model ``SqueezeNet11(weights=None, input_shape=(224, 224, 3))``
(worker/compiler/squeezenet.py) or ``WideResNet50_2(...)`` (worker/compiler/wide_resnet.py),
and ``model.load_weights(path)`` reads it back into a model of any input size with 3
channels (the padding layers have no weights, so the layer list does not depend on the size).
In HDF5 terms Keras keys each layer's variables by its position in the layer list
(``layers/conv2d_3/vars/0``), so the file belongs to that exact architecture. Per layer:

* Conv2D: ``kernel`` as (kh, kw, in, out) (HWIO; torchvision's OIHW ``weight``
  transposed by (2, 3, 1, 0)), then ``bias`` (SqueezeNet only; WRN convs have none).
* BatchNormalization (WRN): ``gamma``, ``beta``, ``moving_mean``, ``moving_variance`` from
  torchvision's ``weight``, ``bias``, ``running_mean``, ``running_var``; ``num_batches_tracked``
  is dropped.

Keras layer names are the torchvision module paths with ``.`` replaced by ``_``, so the key
``features.3.squeeze.weight`` goes to layer ``features_3_squeeze``. The classifier
(``classifier.*`` in SqueezeNet, ``fc.*`` in WRN) is dropped: the backbones have no top.
Any other key the model has no place for, any missing key, and any shape that does not match
is refused with the key named; nothing is written then.

The worker looks for the files as ``$KERAS_HOME/models/squeezenet1_1_dlstudio.weights.h5`` and
``$KERAS_HOME/models/wide_resnet50_2_dlstudio.weights.h5`` (``$KERAS_HOME`` defaults to
``~/.keras``) and never downloads them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

NETWORKS = ("squeezenet1_1", "wide_resnet50_2")
WEIGHT_FILES = {
    "squeezenet1_1": "squeezenet1_1_dlstudio.weights.h5",
    "wide_resnet50_2": "wide_resnet50_2_dlstudio.weights.h5",
}
TOPS = {"squeezenet1_1": "classifier.", "wide_resnet50_2": "fc."}
BN_KEYS = ("weight", "bias", "running_mean", "running_var")


class ConversionError(ValueError):
    """The state dict does not fit the Keras model; the message names the keys."""


class MissingWeightsFile(FileNotFoundError):
    """The converted ImageNet weights are not where the worker looks for them."""

    def __init__(self, network: str, path: Path) -> None:
        self.network = network
        self.path = path
        self.command = converter_command(network, path)
        super().__init__(f"{path} does not exist; create it with: {self.command}")


def keras_models_dir() -> Path:
    # Where keras.utils.get_file looks before it downloads anything.
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "models"


def converter_command(network: str, target: Path) -> str:
    return (
        f"python -m worker.compiler.torchvision_weights {network} "
        f"<torchvision {network} state dict .pth> {target}"
    )


def imagenet_weights_path(network: str) -> Path:
    """The converted file for ``network``; raises MissingWeightsFile before any build."""
    path = keras_models_dir() / WEIGHT_FILES[network]
    if not path.is_file():
        raise MissingWeightsFile(network, path)
    return path


def build_model(network: str) -> Any:
    if network == "squeezenet1_1":
        from worker.compiler.squeezenet import SqueezeNet11

        return SqueezeNet11(weights=None, input_shape=(224, 224, 3))
    if network == "wide_resnet50_2":
        from worker.compiler.wide_resnet import WideResNet50_2

        return WideResNet50_2(weights=None, input_shape=(224, 224, 3))
    raise ConversionError(f"unknown network {network!r}; choose one of {', '.join(NETWORKS)}")


def assign(model: Any, network: str, state: Mapping[str, Any]) -> None:
    """Sets every Conv2D / BatchNormalization weight of ``model`` from ``state`` (numpy-able)."""
    arrays = {key: np.asarray(_numpy(value)) for key, value in state.items()}
    plan: list[tuple[Any, list[np.ndarray[Any, Any]]]] = []
    used: set[str] = set()
    missing: list[str] = []
    mismatched: list[str] = []

    def take(key: str, shape: tuple[int, ...], convert: Callable[[Any], Any]) -> Any:
        used.add(key)
        if key not in arrays:
            missing.append(key)
            return None
        value = convert(arrays[key])
        if tuple(value.shape) != shape:
            mismatched.append(
                f"{key} (expected {_torch_shape(key, shape)}, got {tuple(arrays[key].shape)})"
            )
            return None
        return value.astype("float32")

    for layer in model.layers:
        if not layer.weights:
            continue
        module = layer.name.replace("_", ".")
        kind = type(layer).__name__
        if kind == "Conv2D":
            values = [
                take(
                    f"{module}.weight", tuple(layer.kernel.shape), lambda a: a.transpose(2, 3, 1, 0)
                )
            ]
            if layer.use_bias:
                values.append(take(f"{module}.bias", tuple(layer.bias.shape), lambda a: a))
        elif kind == "BatchNormalization":
            values = [
                take(f"{module}.{key}", (int(layer.gamma.shape[0]),), lambda a: a)
                for key in BN_KEYS
            ]
            used.add(f"{module}.num_batches_tracked")
        else:  # pragma: no cover - the two networks have no other weighted layers
            raise ConversionError(f"layer {layer.name} ({kind}) has no torchvision mapping")
        plan.append((layer, values))
    unexpected = sorted(k for k in arrays if k not in used and not k.startswith(TOPS[network]))
    problems = []
    if missing:
        problems.append("missing keys: " + ", ".join(missing))
    if unexpected:
        problems.append("unexpected keys: " + ", ".join(unexpected))
    if mismatched:
        problems.append("shape mismatches: " + ", ".join(mismatched))
    if problems:
        raise ConversionError(
            f"the state dict does not fit torchvision's {network}: " + "; ".join(problems)
        )
    for layer, values in plan:
        layer.set_weights(values)


def _torch_shape(key: str, keras_shape: tuple[int, ...]) -> tuple[int, ...]:
    if key.endswith(".weight") and len(keras_shape) == 4:
        h, w, i, o = keras_shape
        return (o, i, h, w)
    return keras_shape


def _numpy(value: Any) -> Any:
    detach = getattr(value, "detach", None)
    return detach().cpu().numpy() if detach is not None else value


def load_state_dict(path: str | Path) -> dict[str, Any]:
    import torch

    state = torch.load(str(path), map_location="cpu", weights_only=True)
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict):
        raise ConversionError(f"{path} holds a {type(state).__name__}, not a state dict")
    return {str(k): v for k, v in state.items()}


def convert(network: str, state_dict_path: str | Path, out_path: str | Path) -> Path:
    """Reads a torchvision state dict, writes the Keras weight file; returns its path."""
    out = Path(out_path)
    if not out.name.endswith(".weights.h5"):
        raise ConversionError(f"the output file name must end in .weights.h5, not {out.name}")
    model = build_model(network)
    assign(model, network, load_state_dict(state_dict_path))
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save_weights(str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m worker.compiler.torchvision_weights",
        description="Convert a torchvision state dict into a dlstudio Keras weights file.",
    )
    parser.add_argument("network", choices=NETWORKS)
    parser.add_argument("state_dict", help="torchvision .pth state dict")
    parser.add_argument("output", help="where to write the .weights.h5 file")
    args = parser.parse_args(argv)
    try:
        out = convert(args.network, args.state_dict, args.output)
    except ConversionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
