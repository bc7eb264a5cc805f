"""Keras layer configs -> canvas node params, one small mapper per supported class.

The inverse of worker/compiler/builders.py. A setting the canvas cannot express (a
dilated convolution, a convolution without bias, a keepdims pooling) is refused with the
setting named rather than silently dropped: an import must give back the model that was
saved, or say why not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

from backend.graph.schema import Activation, Interpolation

Mapper = Callable[[dict[str, Any]], dict[str, Any]]
MAPPERS: dict[str, tuple[str, Mapper]] = {}
ACTIVATIONS = frozenset(get_args(Activation))
INTERPOLATIONS = frozenset(get_args(Interpolation))


class Unsupported(Exception):
    """A supported class with a setting the canvas lacks; the message names the setting."""


def mapper(class_name: str, node_type: str | None = None) -> Callable[[Mapper], Mapper]:
    def register(function: Mapper) -> Mapper:
        MAPPERS[class_name] = (node_type or class_name, function)
        return function

    return register


def _require(config: dict[str, Any], **expected: Any) -> None:
    for key, value in expected.items():
        if key in config and config[key] != value and config[key] != [value, value]:
            raise Unsupported(f"{key}={config[key]!r}")


def _square(config: dict[str, Any], key: str) -> int:
    value = config.get(key)
    if isinstance(value, int):
        return value
    if isinstance(value, list) and len(value) == 2 and value[0] == value[1]:
        return int(value[0])
    raise Unsupported(f"{key}={value!r} (the canvas has square {key} only)")


def _activation(config: dict[str, Any]) -> str:
    value = config.get("activation", "linear")
    if value not in ACTIVATIONS:
        raise Unsupported(f"activation {value!r}")
    return str(value)


def _image_layer(config: dict[str, Any]) -> None:
    _require(config, data_format="channels_last")


@mapper("InputLayer", "Input")
def _input(config: dict[str, Any]) -> dict[str, Any]:
    shape = config.get("batch_shape") or config.get("batch_input_shape") or []
    if len(shape) != 4 or any(not isinstance(d, int) for d in shape[1:]):
        raise Unsupported(f"input shape {shape[1:]!r} (the canvas takes height x width x channels)")
    return {"height": shape[1], "width": shape[2], "channels": shape[3]}


@mapper("Dense")
def _dense(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "units": config["units"],
        "activation": _activation(config),
        "use_bias": bool(config.get("use_bias", True)),
    }


@mapper("Dropout")
def _dropout(config: dict[str, Any]) -> dict[str, Any]:
    _require(config, noise_shape=None)
    return {"rate": config["rate"]}


@mapper("Conv2D")
def _conv2d(config: dict[str, Any]) -> dict[str, Any]:
    _image_layer(config)
    _require(config, dilation_rate=1, groups=1, use_bias=True)
    return {
        "filters": config["filters"],
        "kernel_size": _square(config, "kernel_size"),
        "strides": _square(config, "strides"),
        "padding": _padding(config),
        "activation": _activation(config),
    }


@mapper("SeparableConv2D")
def _separable(config: dict[str, Any]) -> dict[str, Any]:
    params = _conv2d(config)
    params["depth_multiplier"] = config.get("depth_multiplier", 1)
    return params


def _padding(config: dict[str, Any]) -> str:
    value = config.get("padding", "valid")
    if value not in ("valid", "same"):
        raise Unsupported(f"padding {value!r}")
    return str(value)


def _pool(config: dict[str, Any]) -> dict[str, Any]:
    _image_layer(config)
    size = _square(config, "pool_size")
    strides = _square(config, "strides") if config.get("strides") is not None else size
    # Keras stores strides=None as the pool size; the canvas leaves it empty then.
    return {"pool_size": size, "strides": None if strides == size else strides,
            "padding": _padding(config)}  # fmt: skip


mapper("MaxPooling2D")(_pool)
mapper("AveragePooling2D")(_pool)


def _no_params(config: dict[str, Any]) -> dict[str, Any]:
    _image_layer(config)
    _require(config, keepdims=False)
    return {}


for _name in ("GlobalMaxPooling2D", "GlobalAveragePooling2D", "Flatten", "Add"):
    mapper(_name)(_no_params)


@mapper("Concatenate")
def _concatenate(config: dict[str, Any]) -> dict[str, Any]:
    if config.get("axis", -1) not in (-1, 3):
        raise Unsupported(f"axis={config.get('axis')!r} (the canvas joins on channels)")
    return {}


@mapper("BatchNormalization")
def _batch_norm(config: dict[str, Any]) -> dict[str, Any]:
    if config.get("axis", -1) not in (-1, 3, [3], [-1]):
        raise Unsupported(f"axis={config.get('axis')!r}")
    _require(config, center=True, scale=True)
    return {"momentum": config.get("momentum", 0.99), "epsilon": config.get("epsilon", 1e-3)}


@mapper("Activation")
def _activation_layer(config: dict[str, Any]) -> dict[str, Any]:
    return {"activation": _activation(config)}


@mapper("Resizing")
def _resizing(config: dict[str, Any]) -> dict[str, Any]:
    _image_layer(config)
    _require(config, crop_to_aspect_ratio=False, pad_to_aspect_ratio=False)
    if config.get("interpolation", "bilinear") not in INTERPOLATIONS:
        raise Unsupported(f"interpolation {config.get('interpolation')!r}")
    return {"height": config["height"], "width": config["width"],
            "interpolation": config.get("interpolation", "bilinear")}  # fmt: skip


@mapper("Rescaling")
def _rescaling(config: dict[str, Any]) -> dict[str, Any]:
    scale, offset = config.get("scale", 1.0), config.get("offset", 0.0)
    if not isinstance(scale, int | float) or not isinstance(offset, int | float):
        raise Unsupported(f"per-channel scale={scale!r} offset={offset!r}")
    return {"scale": float(scale), "offset": float(offset)}


@mapper("RandomTimeShift")
def _time_shift(config: dict[str, Any]) -> dict[str, Any]:
    return {"max_fraction": config.get("max_fraction", 0.1), "mode": config.get("mode", "wrap")}


@mapper("TimeMasking")
@mapper("FrequencyMasking")
def _masking(config: dict[str, Any]) -> dict[str, Any]:
    return {"max_fraction": config.get("max_fraction", 0.1), "count": config.get("count", 1)}
