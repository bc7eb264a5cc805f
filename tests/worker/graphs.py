"""Small GraphSpecs for compiler tests: a chain of nodes, wired in order."""

from __future__ import annotations

import itertools
from typing import Any

from backend.graph.schema import GraphSpec


def node(node_id: str, node_type: str, **params: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "params": params}


def image_input(size: int = 32, channels: int = 3) -> dict[str, Any]:
    return node("input", "Input", height=size, width=size, channels=channels)


def backbone(architecture: str, weights: str = "none", trainable: str = "all") -> dict[str, Any]:
    return node("backbone", "Backbone", architecture=architecture, weights=weights,
                trainable=trainable)


def softmax(units: int = 3, node_id: str = "output") -> dict[str, Any]:
    return node(node_id, "Dense", units=units, activation="softmax")


def chain_dict(*nodes: dict[str, Any]) -> dict[str, Any]:
    edges = [{"source": a["id"], "target": b["id"]} for a, b in itertools.pairwise(nodes)]
    return {"schema_version": 1, "nodes": list(nodes), "edges": edges}


def chain(*nodes: dict[str, Any]) -> GraphSpec:
    return GraphSpec.model_validate(chain_dict(*nodes))


def small_cnn(size: int = 32, channels: int = 3, classes: int = 3) -> dict[str, Any]:
    return chain_dict(
        image_input(size, channels),
        node("rescale", "BatchNormalization"),
        node("conv", "Conv2D", filters=8, kernel_size=3),
        node("pool", "MaxPooling2D"),
        node("gap", "GlobalAveragePooling2D"),
        softmax(classes),
    )
