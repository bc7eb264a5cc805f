"""Tier 2 and 3 rules for merges and parameter counts, in pure Python (no Keras, no server)."""

from __future__ import annotations

from typing import Any

import pytest

from backend.errors import InvalidInput
from backend.graph.params import ParamCount
from backend.graph.validate import validate_graph


def node(node_id: str, node_type: str, **params: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "params": params}


def graph(nodes: list[dict[str, Any]], edges: list[tuple[str, str]]) -> dict[str, Any]:
    return {"nodes": nodes, "edges": [{"source": s, "target": t} for s, t in edges]}


def problems(document: dict[str, Any]) -> dict[tuple[str | int, ...], str]:
    with pytest.raises(InvalidInput) as caught:
        validate_graph(document)
    return {problem.loc: problem.message for problem in caught.value.problems}


def two_branches(merge: str, left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    nodes = [
        node("input", "Input", height=32, width=32, channels=3),
        {**left, "id": "left"},
        {**right, "id": "right"},
        node("merge", merge),
        node("gap", "GlobalAveragePooling2D"),
        node("out", "Dense", units=3, activation="softmax"),
    ]
    edges = [("input", "left"), ("input", "right"), ("left", "merge"), ("right", "merge")]
    return graph(nodes, [*edges, ("merge", "gap"), ("gap", "out")])


@pytest.mark.parametrize("merge", ["Add", "Concatenate"])
def test_a_merge_with_one_input_asks_for_another_branch(merge: str) -> None:
    document = graph(
        [node("input", "Input", height=8, width=8), node("m", merge), node("out", "Flatten")],
        [("input", "m"), ("m", "out")],
    )
    message = problems(document)[("graph", "nodes", "m")]
    assert f"{merge} 'm'" in message and "at least two inputs" in message
    assert "it has 1" in message and "Connect another branch" in message


def test_a_single_input_layer_with_two_inputs_is_refused() -> None:
    document = two_branches("Dense", node("l", "Flatten"), node("r", "Flatten"))
    document["nodes"][3]["params"] = {"units": 3}
    assert "has 2 inputs; it takes one" in problems(document)[("graph", "nodes", "merge")]


def test_add_with_mismatched_shapes_names_both_branches_and_the_fix() -> None:
    document = two_branches(
        "Add", node("l", "Conv2D", filters=16), node("r", "Conv2D", filters=8, strides=2)
    )
    message = problems(document)[("graph", "nodes", "merge")]
    assert "Add 'merge'" in message and "same shape" in message
    assert "(32, 32, 16) from 'left'" in message and "(16, 16, 8) from 'right'" in message
    assert "Concatenate" in message  # the alternative when only channels differ


def test_concatenate_with_mismatched_spatial_shapes_says_what_to_change() -> None:
    document = two_branches(
        "Concatenate", node("l", "Conv2D", filters=4), node("r", "MaxPooling2D")
    )
    message = problems(document)[("graph", "nodes", "merge")]
    assert "Concatenate 'merge'" in message and "last (channel) axis" in message
    assert "(32, 32, 4) from 'left'" in message and "(16, 16, 3) from 'right'" in message
    assert "height and width" in message and "Resizing" in message


def test_merges_of_matching_branches_have_shapes_and_no_weights() -> None:
    added = validate_graph(
        two_branches("Add", node("l", "Conv2D", filters=8), node("r", "Conv2D", filters=8))
    )
    assert added.shapes["merge"] == (32, 32, 8) and added.params["merge"] == ParamCount()
    stacked = validate_graph(
        two_branches("Concatenate", node("l", "Conv2D", filters=8), node("r", "BatchNormalization"))
    )
    assert stacked.shapes["merge"] == (32, 32, 11)
    assert stacked.params["right"] == ParamCount(6, 6)
    assert stacked.params["left"] == ParamCount(3 * 3 * 3 * 8 + 8)
    assert stacked.total_params == ParamCount(224 + 6 + 11 * 3 + 3, 6)


def test_spectrogram_layers_need_an_image() -> None:
    document = graph(
        [
            node("input", "Input", height=8, width=8),
            node("flat", "Flatten"),
            node("mask", "TimeMasking", max_fraction=0.2, count=2),
        ],
        [("input", "flat"), ("flat", "mask")],
    )
    assert "image-shaped input" in problems(document)[("graph", "nodes", "mask")]


def test_backbone_counts_follow_channels_and_trainability() -> None:
    def backbone_params(channels: int, trainable: str, weights: str = "none") -> ParamCount:
        document = graph(
            [
                node("input", "Input", height=64, width=64, channels=channels),
                node(
                    "b", "Backbone", architecture="ResNet50", weights=weights, trainable=trainable
                ),
            ],
            [("input", "b")],
        )
        return validate_graph(document).params["b"]

    # Keras's model.summary() for ResNet50 (include_top=False) on RGB: 23,534,592 trainable
    # and 53,120 non-trainable; the RGB->BGR preprocessing adds a frozen 3x3 Dense (12).
    assert backbone_params(3, "all") == ParamCount(23_534_592, 53_120 + 12)
    assert backbone_params(3, "all", weights="imagenet") == ParamCount(23_534_592, 53_132)
    assert backbone_params(1, "all") == ParamCount(23_534_592 - 2 * 3136, 53_120)
    # Grey input with ImageNet weights is repeated to RGB first: the RGB network's counts.
    assert backbone_params(1, "all", weights="imagenet") == ParamCount(23_534_592, 53_132)
    assert backbone_params(3, "frozen") == ParamCount(0, 23_534_592 + 53_132)


def test_the_validate_endpoint_reports_params_per_node_and_totals() -> None:
    from backend.graphs.endpoints import validate
    from backend.graphs.schemas import GraphValidate

    document = two_branches("Add", node("l", "Conv2D", filters=8), node("r", "Conv2D", filters=8))
    body = validate(GraphValidate(graph=document)).model_dump()
    assert body["shapes"]["merge"] == [32, 32, 8] and body["output"] == "out"
    assert body["params"]["left"] == {"trainable": 224, "non_trainable": 0}
    assert body["params"]["merge"] == {"trainable": 0, "non_trainable": 0}
    assert body["totals"] == {"trainable": 2 * 224 + 8 * 3 + 3, "non_trainable": 0}


def test_imagenet_weights_refuse_two_channels_and_say_what_works() -> None:
    document = graph(
        [
            node("input", "Input", height=64, width=64, channels=2),
            node("b", "Backbone", architecture="VGG16", weights="imagenet"),
        ],
        [("input", "b")],
    )
    message = problems(document)[("graph", "nodes", "b", "params", "weights")]
    assert "the input has 2" in message and "weights 'none'" in message
