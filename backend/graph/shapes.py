"""Tier 3: output shapes along every edge, in pure Python, with advice where a shape is wrong."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from backend.errors import ProblemCollector
from backend.graph.backbones import BACKBONES
from backend.graph.schema import GraphSpec

Shape = tuple[int, ...]  # without the batch axis
Rule = Callable[[Any, Shape, ProblemCollector, list[str | int]], Shape | None]
# A merge rule sees every input as (source node id, shape), in edge order.
MergeRule = Callable[
    [Any, list[tuple[str, Shape]], ProblemCollector, list[str | int]], Shape | None
]
RULES: dict[str, Rule] = {}
MERGE_RULES: dict[str, MergeRule] = {}


def rule(*types: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        for type_name in types:
            RULES[type_name] = function
        return function

    return register


def merge_rule(*types: str) -> Callable[[MergeRule], MergeRule]:
    def register(function: MergeRule) -> MergeRule:
        for type_name in types:
            MERGE_RULES[type_name] = function
        return function

    return register


def inputs_of(spec: GraphSpec) -> dict[str, list[str]]:
    """Node id -> the ids of the nodes feeding it, in edge order."""
    sources: dict[str, list[str]] = defaultdict(list)
    for edge in spec.edges:
        sources[edge.target].append(edge.source)
    return sources


def infer_shapes(spec: GraphSpec, order: list[str], problems: ProblemCollector) -> dict[str, Shape]:
    """Output shape of every node that can be computed; problems name the node and parameter."""
    nodes = {node.id: node for node in spec.nodes}
    sources = inputs_of(spec)
    shapes: dict[str, Shape] = {}
    for node_id in order:
        node = nodes[node_id]
        if node.type == "Input":
            shapes[node_id] = (node.params.height, node.params.width, node.params.channels)
            continue
        if any(source not in shapes for source in sources[node_id]) or not sources[node_id]:
            continue  # an earlier problem already explains this branch
        loc: list[str | int] = ["nodes", node_id]
        if node.type in MERGE_RULES:
            pairs = [(source, shapes[source]) for source in sources[node_id]]
            out = MERGE_RULES[node.type](node, pairs, problems, loc)
        else:
            out = RULES[node.type](node, shapes[sources[node_id][0]], problems, loc)
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
    # The worker repeats a grey channel to RGB for ImageNet weights (worker/compiler/backbones.py).
    if node.params.weights == "imagenet" and channels not in (1, 3):
        problems.add(
            [*loc, "params", "weights"],
            f"ImageNet weights expect 3 (RGB) or 1 (grey) channels; the input has {channels}. "
            "Use weights 'none' or a 1- or 3-channel Input",
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


@rule("Dropout", "BatchNormalization", "Activation", "Rescaling")
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


@rule("RandomTimeShift", "TimeMasking", "FrequencyMasking")
def _spectrogram(
    node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]
) -> Shape | None:
    return shape if _needs_image(node, shape, problems, loc) else None


@rule("Resizing")
def _resizing(
    node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]
) -> Shape | None:
    if not _needs_image(node, shape, problems, loc):
        return None
    return (node.params.height, node.params.width, shape[2])


@rule("Conv2D", "SeparableConv2D", "MaxPooling2D", "AveragePooling2D")
def _windowed(
    node: Any, shape: Shape, problems: ProblemCollector, loc: list[str | int]
) -> Shape | None:
    if not _needs_image(node, shape, problems, loc):
        return None
    params = node.params
    convolution = node.type in ("Conv2D", "SeparableConv2D")
    kernel = params.kernel_size if convolution else params.pool_size
    stride = params.strides or kernel
    height, width = (_window(s, kernel, stride, params.padding) for s in shape[:2])
    if height < 1 or width < 1:
        field = "kernel_size" if convolution else "pool_size"
        problems.add(
            [*loc, "params", field],
            f"a {kernel}x{kernel} window does not fit the {shape[0]}x{shape[1]} input "
            "with padding 'valid'; use padding 'same' or a smaller window",
        )
        return None
    return (height, width, params.filters if convolution else shape[2])


def _branches(pairs: list[tuple[str, Shape]]) -> str:
    return ", ".join(f"{_text(shape)} from '{source}'" for source, shape in pairs)


def _text(shape: Shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


@merge_rule("Add")
def _add(
    node: Any, pairs: list[tuple[str, Shape]], problems: ProblemCollector, loc: list[str | int]
) -> Shape | None:
    if len({shape for _, shape in pairs}) == 1:
        return pairs[0][1]
    problems.add(
        loc,
        f"Add '{node.id}' sums its inputs element by element, so they must have the same "
        f"shape; it receives {_branches(pairs)}. Make the branches match (same filters, "
        "strides and pooling), or use Concatenate to stack channels instead",
    )
    return None


@merge_rule("Concatenate")
def _concatenate(
    node: Any, pairs: list[tuple[str, Shape]], problems: ProblemCollector, loc: list[str | int]
) -> Shape | None:
    leading = {shape[:-1] for _, shape in pairs}
    if len(leading) == 1:
        return (*pairs[0][1][:-1], sum(shape[-1] for _, shape in pairs))
    what = "height and width" if all(len(shape) == 3 for _, shape in pairs) else "shape"
    problems.add(
        loc,
        f"Concatenate '{node.id}' stacks its inputs along the last (channel) axis, so they "
        f"must agree on every other axis; it receives {_branches(pairs)}. Make their {what} "
        "equal (pooling, strides or a Resizing layer on one branch)",
    )
    return None
