"""Which block of a backbone each Keras layer belongs to, for ``trainable: "last_blocks"``.

A block is the repeating unit a paper and the Keras model summary name (``conv5_block3``,
``mixed7``, ``block_16``, ``block7a``, ``features_12``, ``layer4_2``): the list per
architecture is ``BLOCK_NAMES`` and backend/graph/backbone_blocks.py documents it.

Layers before the first block are the *stem*; layers after the last block (the network's
final BatchNorm or 1x1 conv, e.g. EfficientNet's ``top_conv``/``top_bn``) count as part of
the last block. A block's own transition layers (DenseNet's ``pool2_*``, SqueezeNet's and
VGG's pools) belong to the block they follow.

Membership comes from the graph, not only from names, because several networks have unnamed
layers (Xception's residual ``conv2d_94``/``add``, every InceptionV3 conv): a layer is
*before block k* when it is an ancestor of block k's first layer. Block k is then the layers
before block k+1 that are not before block k.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Architecture -> ordered block names. Each name is also the prefix ("<name>_") of every
# named layer in the block, except for InceptionV3, where only the final concat is named.
BLOCK_NAMES: dict[str, tuple[str, ...]] = {
    "ResNet50": tuple(
        f"conv{stage}_block{b}" for stage, n in ((2, 3), (3, 4), (4, 6), (5, 3))
        for b in range(1, n + 1)
    ),
    "ResNet101": tuple(
        f"conv{stage}_block{b}" for stage, n in ((2, 3), (3, 4), (4, 23), (5, 3))
        for b in range(1, n + 1)
    ),
    "InceptionV3": tuple(f"mixed{i}" for i in range(11)),
    "MobileNetV2": tuple(f"block_{i}" for i in range(1, 17)),
    "EfficientNetB0": tuple(
        f"block{stage}{chr(ord('a') + b)}"
        for stage, n in ((1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (7, 1))
        for b in range(n)
    ),
    "VGG16": tuple(f"block{i}" for i in range(1, 6)),
    "DenseNet121": tuple(
        f"conv{stage}_block{b}" for stage, n in ((2, 6), (3, 12), (4, 24), (5, 16))
        for b in range(1, n + 1)
    ),
    "Xception": tuple(f"block{i}" for i in range(1, 15)),
    "SqueezeNet11": tuple(f"features_{i}" for i in (3, 4, 6, 7, 9, 10, 11, 12)),
    "WideResNet50_2": tuple(
        f"layer{stage}_{b}" for stage, n in ((1, 3), (2, 4), (3, 6), (4, 3)) for b in range(n)
    ),
}

Parents = dict[str, list[str]]


def _parents(network: Any) -> Parents:
    return {
        layer.name: [p.operation.name for p in layer._inbound_nodes[0].parent_nodes]
        for layer in network.layers
    }


def _ancestors(parents: Parents, names: list[str], include_self: bool) -> set[str]:
    seen: set[str] = set(names) if include_self else set()
    stack = [p for n in names for p in parents[n]]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(parents[name])
    return seen


def _before_prefixed(network: Any, parents: Parents, names: tuple[str, ...]) -> list[set[str]]:
    befores = []
    for block in names:
        # model.layers is in topological order: the first layer with the prefix starts the block.
        first = next(layer.name for layer in network.layers if layer.name.startswith(block + "_"))
        befores.append(_ancestors(parents, [first], include_self=False))
    return befores


def _before_inception(network: Any, parents: Parents, names: tuple[str, ...]) -> list[set[str]]:
    # mixed0's branches are unnamed; what all of them share is the stem.
    branches = [_ancestors(parents, [p], include_self=True) for p in parents["mixed0"]]
    stem = set.intersection(*branches)
    return [stem] + [_ancestors(parents, [n], include_self=True) for n in names[:-1]]


BEFORE: dict[str, Callable[[Any, Parents, tuple[str, ...]], list[set[str]]]] = {
    "InceptionV3": _before_inception,
}


def block_index(network: Any, architecture: str) -> dict[str, int]:
    """Layer name -> 0 for the stem, k for block k (1-based); the top goes to the last block."""
    names = BLOCK_NAMES[architecture]
    parents = _parents(network)
    befores = BEFORE.get(architecture, _before_prefixed)(network, parents, names)
    return {
        layer.name: sum(layer.name not in before for before in befores)
        for layer in network.layers
    }


def freeze_before_last_blocks(network: Any, architecture: str, blocks: int) -> None:
    """Everything before the last ``blocks`` blocks stops training.

    Keras runs a BatchNormalization whose ``trainable`` is False in inference mode, so the
    frozen part keeps its stored statistics, as a wholly frozen backbone does.
    """
    first_trained = len(BLOCK_NAMES[architecture]) - blocks + 1
    for name, index in block_index(network, architecture).items():
        if index < first_trained:
            network.get_layer(name).trainable = False
