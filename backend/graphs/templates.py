"""Starting points for the canvas: the paper's four topologies and a small CNN from scratch.

The paper: a pre-trained backbone -> GlobalMaxPooling2D -> Dense 512 (ReLU) -> Dense N
softmax, on 224x224 colour spectrograms (InceptionV3 at 299x299, its native size).
A backbone this studio cannot build yet is left out rather than offered broken.
"""

from __future__ import annotations

import itertools
from typing import Any, get_args

from pydantic import BaseModel

from backend.graph.schema import BackboneName

PAPER_BACKBONES = {  # the paper's names -> our architecture ids and native input size
    "ResNet50": ("ResNet50", 224),
    "WideResNet": ("WideResNet50_2", 224),
    "SqueezeNet": ("SqueezeNet11", 224),
    "InceptionV3": ("InceptionV3", 299),
}


class GraphTemplate(BaseModel):
    id: str
    name: str
    description: str
    graph: dict[str, Any]


def _chain(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    for index, node in enumerate(nodes):
        node["position"] = {"x": 0.0, "y": 120.0 * index}
    edges = [{"source": a["id"], "target": b["id"]} for a, b in itertools.pairwise(nodes)]
    return {"schema_version": 1, "nodes": nodes, "edges": edges}


def _node(node_id: str, node_type: str, **params: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "params": params}


def paper_template(label: str, architecture: str, size: int, classes: int) -> GraphTemplate:
    graph = _chain([
        _node("input", "Input", height=size, width=size, channels=3),
        _node("backbone", "Backbone", architecture=architecture, weights="imagenet",
              trainable="all"),
        _node("pool", "GlobalMaxPooling2D"),
        _node("dense", "Dense", units=512, activation="relu"),
        _node("output", "Dense", units=classes, activation="softmax"),
    ])  # fmt: skip
    return GraphTemplate(
        id=f"paper-{label.lower()}", name=f"Paper: {label}", graph=graph,
        description=f"{label} (ImageNet) -> global max pooling -> Dense 512 -> Dense {classes} "
        f"softmax, {size}x{size} colour input, as in the speech-emotion paper",
    )  # fmt: skip


def small_cnn(classes: int, size: int = 128) -> GraphTemplate:
    graph = _chain([
        _node("input", "Input", height=size, width=size, channels=3),
        _node("conv1", "Conv2D", filters=32, kernel_size=3, activation="relu"),
        _node("pool1", "MaxPooling2D", pool_size=2),
        _node("conv2", "Conv2D", filters=64, kernel_size=3, activation="relu"),
        _node("pool2", "MaxPooling2D", pool_size=2),
        _node("conv3", "Conv2D", filters=128, kernel_size=3, activation="relu"),
        _node("gap", "GlobalAveragePooling2D"),
        _node("dropout", "Dropout", rate=0.3),
        _node("output", "Dense", units=classes, activation="softmax"),
    ])  # fmt: skip
    return GraphTemplate(
        id="small-cnn", name="Small CNN from scratch", graph=graph,
        description=f"Three conv blocks, global average pooling, dropout, Dense {classes} "
        f"softmax at {size}x{size}: fast on a CPU and a fair baseline for small datasets",
    )  # fmt: skip


def templates(classes: int) -> list[GraphTemplate]:
    available = set(get_args(BackboneName))
    found = [
        paper_template(label, architecture, size, classes)
        for label, (architecture, size) in PAPER_BACKBONES.items()
        if architecture in available
    ]
    return [*found, small_cnn(classes)]
