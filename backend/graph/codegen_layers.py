"""One small emitter per layer kind: the Keras 3 source line that builds a node.

Each emitter writes exactly the call its twin in worker/compiler/builders.py makes, with
the layer named after the node id, so the exported script and the worker build the same
model. The registry mirrors backend/graph/shapes.py's rules; tests/graph keeps every node
type covered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backend.graph.shapes import Shape


@dataclass
class Site:
    """Where a node is emitted: its input variables and shapes, and what the script needs."""

    node: Any
    inputs: list[str]
    input_shapes: list[Shape]
    out: str
    # Snippet names (backend/graph/codegen_snippets.py) and imports the script must include.
    needs: set[str] = field(default_factory=set)


Emitter = Callable[[Site], list[str]]
EMITTERS: dict[str, Emitter] = {}


def emitter(*types: str) -> Callable[[Emitter], Emitter]:
    def register(function: Emitter) -> Emitter:
        for type_name in types:
            EMITTERS[type_name] = function
        return function

    return register


def literal(value: Any) -> str:
    """A Python literal for a parameter value (double-quoted strings, as Black writes them)."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return repr(value)


def call(site: Site, constructor: str, *args: Any, **kwargs: Any) -> list[str]:
    """``out = constructor(args..., kwargs..., name=node id)(inputs)``."""
    parts = [literal(a) for a in args]
    parts += [f"{key}={literal(value)}" for key, value in kwargs.items()]
    parts.append(f"name={literal(site.node.id)}")
    tensors = site.inputs[0] if len(site.inputs) == 1 else f"[{', '.join(site.inputs)}]"
    return [f"{site.out} = {constructor}({', '.join(parts)})({tensors})"]


@emitter("Input")
def _input(site: Site) -> list[str]:
    p = site.node.params
    shape = literal((p.height, p.width, p.channels))
    return [f"{site.out} = keras.Input(shape={shape}, name={literal(site.node.id)})"]


@emitter("Dense")
def _dense(site: Site) -> list[str]:
    p = site.node.params
    return call(site, "layers.Dense", p.units, activation=p.activation, use_bias=p.use_bias)


@emitter("Dropout")
def _dropout(site: Site) -> list[str]:
    return call(site, "layers.Dropout", site.node.params.rate)


@emitter("Conv2D", "SeparableConv2D")
def _conv(site: Site) -> list[str]:
    p = site.node.params
    extra = {"depth_multiplier": p.depth_multiplier} if site.node.type == "SeparableConv2D" else {}
    return call(
        site,
        f"layers.{site.node.type}",
        p.filters,
        p.kernel_size,
        strides=p.strides,
        padding=p.padding,
        **extra,
        activation=p.activation,
    )


@emitter("MaxPooling2D", "AveragePooling2D")
def _pool(site: Site) -> list[str]:
    p = site.node.params
    return call(site, f"layers.{site.node.type}", p.pool_size, strides=p.strides, padding=p.padding)


@emitter("GlobalMaxPooling2D", "GlobalAveragePooling2D", "Flatten", "Add")
def _plain(site: Site) -> list[str]:
    return call(site, f"layers.{site.node.type}")


@emitter("Concatenate")
def _concatenate(site: Site) -> list[str]:
    return call(site, "layers.Concatenate", axis=-1)


@emitter("BatchNormalization")
def _batch_norm(site: Site) -> list[str]:
    p = site.node.params
    return call(site, "layers.BatchNormalization", momentum=p.momentum, epsilon=p.epsilon)


@emitter("Activation")
def _activation(site: Site) -> list[str]:
    return call(site, "layers.Activation", site.node.params.activation)


@emitter("Resizing")
def _resizing(site: Site) -> list[str]:
    p = site.node.params
    return call(site, "layers.Resizing", p.height, p.width, interpolation=p.interpolation)


@emitter("Rescaling")
def _rescaling(site: Site) -> list[str]:
    p = site.node.params
    return call(site, "layers.Rescaling", p.scale, offset=p.offset)


@emitter("RandomTimeShift")
def _time_shift(site: Site) -> list[str]:
    site.needs.add("augmentation")
    p = site.node.params
    return call(site, "RandomTimeShift", p.max_fraction, mode=p.mode)


@emitter("TimeMasking", "FrequencyMasking")
def _masking(site: Site) -> list[str]:
    site.needs.add("augmentation")
    p = site.node.params
    return call(site, site.node.type, p.max_fraction, count=p.count)
