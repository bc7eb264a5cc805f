"""Tier 3: output shapes along every edge, in pure Python, with advice where a shape is wrong."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from backend.errors import ProblemCollector
from backend.graph.backbones import BACKBONES
from backend.graph.schema import GraphSpec

Shape = tuple[int, ...]  # without the batch axis
Rule = Callable[[Any, Shape, ProblemCollector, list[str | int]], Shape | None]
RULES: dict[str, Rule] = {}


def rule(*types: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        for type_name in types:
            RULES[type_name] = function
        return function

    return register


def infer_shapes(spec: GraphSpec, order: list[str], problems: ProblemCollector) -> dict[str, Shape]:
    """Output shape of every node that can be computed; problems name the node and parameter."""
    nodes = {node.id: node for node in spec.nodes}
    parent = {edge.target: edge.source for edge in spec.edges}
    shapes: dict[str, Shape] = {}
    for node_id in order:
        node = nodes[node_id]
        if node.type == "Input":
            shapes[node_id] = (node.params.height, node.params.width, node.params.channels)
            continue
        source = shapes.get(parent.get(node_id, ""))
        if source is None:
            continue  # an earlier problem already explains this branch
        out = RULES[node.type](node, source, problems, ["nodes", node_id])
        if out is not None:
            shapes[node_id] = out
    return shapes


def _needs_image(node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]) -> bool:
    if len(shape) == 3:
        return True
    problems.add(
        loc,
        f"{node.type} needs an image-shaped input (height, width, channels); it receives {shape}",
    )
    return False


@rule("Backbone")
def _backbone(
    node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]
) -> Shape | None:
    if not _needs_image(node, shape, problems, loc):
        return None
    name, info = node.params.architecture, BACKBONES[node.params.architecture]
    height, width, channels = shape
    if min(height, width) < info.min_size:
        problems.add(
            [*loc, "params", "architecture"],
            f"{name} needs inputs of at least {info.min_size}x{info.min_size}; "
            f"it receives {height}x{width}. Enlarge the Input or add a Resizing layer",
        )
        return None
    if node.params.weights == "imagenet" and channels != 3:
        problems.add(
            [*loc, "params", "weights"],
            f"ImageNet weights expect 3 channels; the input has {channels}. "
            "Use weights 'none' or a 3-channel Input",
        )
        return None
    return (info.spatial(height), info.spatial(width), info.channels)


@rule("Dense")
def _dense(
    node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]
) -> Shape | None:
    if len(shape) != 1:
        problems.add(
            loc,
            f"Dense needs a flat input; it receives {shape}. Add "
            "GlobalMaxPooling2D, GlobalAveragePooling2D or Flatten before it",
        )
        return None
    return (node.params.units,)


@rule("Dropout", "BatchNormalization", "Activation")
def _same(node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]) -> Shape:
    return shape


@rule("Flatten")
def _flatten(node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]) -> Shape:
    return (math.prod(shape),)


@rule("GlobalMaxPooling2D", "GlobalAveragePooling2D")
def _global_pool(
    node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]
) -> Shape | None:
    return (shape[2],) if _needs_image(node, shape, problems, loc) else None


def _window(size: int, kernel: int, stride: int, padding: str) -> int:
    return math.ceil(size / stride) if padding == "same" else (size - kernel) // stride + 1


@rule("Conv2D", "MaxPooling2D", "AveragePooling2D")
def _windowed(
    node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]
) -> Shape | None:
    if not _needs_image(node, shape, problems, loc):
        return None
    params = node.params
    kernel = params.kernel_size if node.type == "Conv2D" else params.pool_size
    stride = params.strides or kernel
    height, width = (_window(s, kernel, stride, params.padding) for s in shape[:2])
    if height < 1 or width < 1:
        field = "kernel_size" if node.type == "Conv2D" else "pool_size"
        problems.add(
            [*loc, "params", field],
            f"a {kernel}x{kernel} window does not fit the {shape[0]}x{shape[1]} input "
            "with padding 'valid'; use padding 'same' or a smaller window",
        )
        return None
    return (height, width, params.filters if node.type == "Conv2D" else shape[2])
