"""The issue's bar: the API's pure-Python shapes and parameter counts equal Keras's, exactly.

Every graph here is validated by ``backend.graph.validate`` (no Keras) and compiled by
``worker.compiler.compile_graph`` in this process; for every node the Keras layer's output
shape (without the batch axis) and its trainable / non-trainable weight counts must equal
the pure-Python ones, and so must the model's totals.
"""

from __future__ import annotations

import random
import typing
from typing import Any

import numpy as np
import pytest

from backend.errors import InvalidInput
from backend.graph.backbones import BACKBONES
from backend.graph.params import ParamCount
from backend.graph.schema import Node
from backend.graph.validate import ValidatedGraph, validate_graph
from tests.worker.graphs import chain_dict, image_input, node
from worker.compiler import compile_graph
from worker.compiler.backbones import ARCHITECTURES, Architecture

Graph = dict[str, Any]
# Layers a backbone node adds next to the network itself (worker/compiler/backbones.py).
COMPANIONS = ("", "_preprocess", "_to_rgb")


def _count(weights: list[Any]) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def keras_params(model: Any, node_id: str) -> ParamCount:
    names = {layer.name for layer in model.layers}
    layers = [model.get_layer(node_id + s) for s in COMPANIONS if node_id + s in names]
    return ParamCount(
        sum(_count(layer.trainable_weights) for layer in layers),
        sum(_count(layer.non_trainable_weights) for layer in layers),
    )


def assert_agreement(graph: Graph) -> ValidatedGraph:
    validated = validate_graph(graph)
    model = compile_graph(validated.spec)
    for node_id in validated.order:
        keras_shape = tuple(model.get_layer(node_id).output.shape[1:])
        assert validated.shapes[node_id] == keras_shape, f"shape of {node_id}"
        assert validated.params[node_id] == keras_params(model, node_id), f"params of {node_id}"
    totals = ParamCount(_count(model.trainable_weights), _count(model.non_trainable_weights))
    assert validated.total_params == totals
    return validated


def graph(nodes: list[Graph], edges: list[tuple[str, str]]) -> Graph:
    return {"nodes": nodes, "edges": [{"source": s, "target": t} for s, t in edges]}


# --- every layer kind ------------------------------------------------------------------


def _branches() -> Graph:
    nodes = [
        node("input", "Input", height=21, width=34, channels=2),
        node("scale", "Rescaling", scale=0.5, offset=-1.0),
        node("a", "Conv2D", filters=6, kernel_size=3, strides=2, padding="same"),
        node("b", "SeparableConv2D", filters=6, kernel_size=5, strides=2, depth_multiplier=3),
        node("c", "MaxPooling2D", pool_size=3, strides=2, padding="same"),
        node("sum", "Add"),
        node("cat", "Concatenate"),
        node("bn", "BatchNormalization"),
        node("flat", "Flatten"),
        node("d1", "Dense", units=7, use_bias=False),
        node("d2", "Dense", units=5, activation="relu"),
        node("dcat", "Concatenate"),
        node("out", "Dense", units=3, activation="softmax"),
    ]
    edges = [("input", "scale"), ("scale", "a"), ("scale", "b"), ("scale", "c")]
    edges += [("a", "sum"), ("b", "sum"), ("a", "sum"), ("sum", "cat"), ("c", "cat")]
    edges += [("cat", "bn"), ("bn", "flat"), ("flat", "d1"), ("flat", "d2")]
    edges += [("d1", "dcat"), ("d2", "dcat"), ("dcat", "out")]
    return graph(nodes, edges)


def _spectrogram_chain() -> Graph:
    return chain_dict(
        node("input", "Input", height=40, width=63, channels=1),
        node("shift", "RandomTimeShift", max_fraction=0.2, mode="pad"),
        node("time", "TimeMasking", max_fraction=0.1, count=2),
        node("freq", "FrequencyMasking", max_fraction=0.15, count=3),
        node("resize", "Resizing", height=33, width=17, interpolation="nearest"),
        node("conv", "Conv2D", filters=4, kernel_size=4, padding="valid"),
        node("avg", "AveragePooling2D", pool_size=3, strides=2, padding="valid"),
        node("act", "Activation", activation="gelu"),
        node("sep", "SeparableConv2D", filters=9, kernel_size=1),
        node("gmp", "GlobalMaxPooling2D"),
        node("bn", "BatchNormalization"),
        node("drop", "Dropout", rate=0.3),
        node("out", "Dense", units=2),
    )


def _backbone_with_head() -> Graph:
    return chain_dict(
        image_input(40, 3),
        node("up", "Resizing", height=75, width=80, interpolation="bicubic"),
        node("backbone", "Backbone", architecture="InceptionV3", weights="none"),
        node("gap", "GlobalAveragePooling2D"),
        node("out", "Dense", units=3, activation="softmax"),
    )


KIND_GRAPHS = {
    "branches": _branches,
    "spectrogram_chain": _spectrogram_chain,
    "backbone_with_head": _backbone_with_head,
}


@pytest.mark.parametrize("name", list(KIND_GRAPHS))
def test_layer_kinds_agree(name: str) -> None:
    assert_agreement(KIND_GRAPHS[name]())


def test_the_kind_graphs_cover_every_layer_kind() -> None:
    every = {typing.get_args(cls.model_fields["type"].annotation)[0] for cls in _node_classes()}
    used = {n["type"] for make in KIND_GRAPHS.values() for n in make()["nodes"]}
    assert every == used


def _node_classes() -> tuple[Any, ...]:
    return typing.get_args(typing.get_args(Node)[0])


# --- every backbone --------------------------------------------------------------------


def _backbone_cases() -> list[Any]:
    cases = []
    for name, info in BACKBONES.items():
        odd = 77 if info.min_size <= 32 else 99
        for height, width, channels, trainable in (
            (info.min_size, info.min_size, 1, "frozen"),
            (odd, 96, 3, "all"),
            (96, 96, 1, "all"),
            (info.min_size + 1, 2 * info.min_size + 3, 3, "frozen"),
        ):
            case_id = f"{name}-{height}x{width}x{channels}-{trainable}"
            cases.append(pytest.param(name, height, width, channels, trainable, id=case_id))
    return cases


@pytest.mark.parametrize(("name", "height", "width", "channels", "trainable"), _backbone_cases())
def test_backbones_agree(name: str, height: int, width: int, channels: int, trainable: str) -> None:
    validated = assert_agreement(
        chain_dict(
            node("input", "Input", height=height, width=width, channels=channels),
            node("backbone", "Backbone", architecture=name, weights="none", trainable=trainable),
            node("pool", "GlobalMaxPooling2D"),
            node("out", "Dense", units=3, activation="softmax"),
        )
    )
    if trainable == "frozen":
        assert validated.params["backbone"].trainable == 0


@pytest.mark.parametrize("name", ["ResNet50", "MobileNetV2", "SqueezeNet11"])
def test_imagenet_layout_on_grey_input_agrees(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # This machine is offline: build the ImageNet layout (grey repeated to RGB, the RGB
    # preprocessing) with random weights, which have the same shapes and counts.
    arch = ARCHITECTURES[name]
    factory = arch.factory
    fake = Architecture(lambda **kw: factory(**{**kw, "weights": None}), arch.preprocessing)
    monkeypatch.setitem(ARCHITECTURES, name, fake)
    assert_agreement(
        chain_dict(
            node("input", "Input", height=33, width=40, channels=1),
            node("backbone", "Backbone", architecture=name, weights="imagenet"),
            node("pool", "GlobalMaxPooling2D"),
            node("out", "Dense", units=3, activation="softmax"),
        )
    )


def test_worker_and_api_agree_on_backbone_preprocessing() -> None:
    assert {n: a.preprocessing for n, a in ARCHITECTURES.items()} == {
        n: i.preprocessing for n, i in BACKBONES.items()
    }


# --- seeded random stacks ----------------------------------------------------------------

RANDOM_GRAPHS = 40


class _Stack:
    """Grows a random chain with branches and merges, choosing layers that fit the rank."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        size = self.rng.randint(6, 40)
        self.nodes: list[Graph] = [
            node(
                "input",
                "Input",
                height=size,
                width=self.rng.randint(6, 40),
                channels=self.rng.randint(1, 4),
            ),
        ]
        self.edges: list[tuple[str, str]] = []

    def add(self, kind: str, sources: list[str], **params: Any) -> str:
        node_id = f"n{len(self.nodes)}"
        self.nodes.append(node(node_id, kind, **params))
        self.edges += [(source, node_id) for source in sources]
        return node_id

    def image_layer(self, tip: str) -> str:
        r = self.rng
        kind = r.choice(
            [
                "Conv2D",
                "SeparableConv2D",
                "MaxPooling2D",
                "AveragePooling2D",
                "BatchNormalization",
                "Activation",
                "Dropout",
                "Rescaling",
                "Resizing",
                "RandomTimeShift",
                "TimeMasking",
                "FrequencyMasking",
            ]
        )
        window = {"strides": r.choice([1, 2]), "padding": r.choice(["same", "valid"])}
        params: dict[str, Any] = {
            "Conv2D": {"filters": r.randint(1, 8), "kernel_size": r.randint(1, 4), **window},
            "SeparableConv2D": {
                "filters": r.randint(1, 8),
                "kernel_size": r.randint(1, 3),
                "depth_multiplier": r.randint(1, 2),
                **window,
            },
            "MaxPooling2D": {"pool_size": r.randint(1, 3), **window},
            "AveragePooling2D": {"pool_size": r.randint(1, 3), "strides": None},
            "Activation": {"activation": r.choice(["relu", "tanh", "swish"])},
            "Dropout": {"rate": 0.25},
            "Rescaling": {"scale": r.uniform(0.001, 2.0)},
            "Resizing": {"height": r.randint(4, 30), "width": r.randint(4, 30)},
        }.get(kind, {})
        return self.add(kind, [tip], **params)

    def image_merge(self, tip: str) -> str:
        if self.rng.random() < 0.5:  # same-shape branches for Add
            filters = self.rng.randint(1, 6)
            left = self.add("Conv2D", [tip], filters=filters, kernel_size=3)
            right = self.add("SeparableConv2D", [tip], filters=filters, kernel_size=1)
            return self.add("Add", [left, right, left][: self.rng.randint(2, 3)])
        left = self.add("Conv2D", [tip], filters=self.rng.randint(1, 6), kernel_size=1)
        right = self.add("MaxPooling2D", [tip], pool_size=3, strides=1, padding="same")
        return self.add("Concatenate", [left, tip, right][self.rng.randint(0, 1) :])

    def flat_layers(self, tip: str) -> str:
        r = self.rng
        tip = self.add(r.choice(["Flatten", "GlobalMaxPooling2D", "GlobalAveragePooling2D"]), [tip])
        for _ in range(r.randint(0, 3)):
            choice = r.random()
            if choice < 0.4:
                tip = self.add("Dense", [tip], units=r.randint(1, 9), use_bias=r.random() < 0.7)
            elif choice < 0.6:
                tip = self.add("BatchNormalization", [tip])
            else:
                units = r.randint(1, 5)
                left = self.add("Dense", [tip], units=units)
                right = self.add("Dense", [tip], units=units if choice < 0.8 else units + 2)
                tip = self.add("Add" if choice < 0.8 else "Concatenate", [left, right])
        return self.add("Dense", [tip], units=3, activation="softmax")

    def build(self) -> Graph:
        tip = "input"
        for _ in range(self.rng.randint(1, 6)):
            tip = self.image_merge(tip) if self.rng.random() < 0.3 else self.image_layer(tip)
        self.flat_layers(tip)
        return graph(self.nodes, self.edges)


def random_graphs(count: int) -> list[tuple[int, Graph]]:
    """The first ``count`` seeds whose graph the API accepts (a shrinking window may not fit)."""
    graphs: list[tuple[int, Graph]] = []
    for seed in range(10 * count):
        candidate = _Stack(seed).build()
        try:
            validate_graph(candidate)
        except InvalidInput:
            continue
        graphs.append((seed, candidate))
        if len(graphs) == count:
            break
    return graphs


@pytest.mark.parametrize(
    "random_graph",
    [pytest.param(g, id=f"seed{seed}") for seed, g in random_graphs(RANDOM_GRAPHS)],
)
def test_random_stacks_agree(random_graph: Graph) -> None:
    assert_agreement(random_graph)


def test_random_stacks_are_many_and_varied() -> None:
    graphs = [g for _, g in random_graphs(RANDOM_GRAPHS)]
    assert len(graphs) == RANDOM_GRAPHS
    kinds = {n["type"] for g in graphs for n in g["nodes"]}
    assert {"Add", "Concatenate", "SeparableConv2D", "TimeMasking", "Resizing"} <= kinds
