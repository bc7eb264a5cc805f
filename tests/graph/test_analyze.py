"""The canvas's draft analysis: shapes for whatever is connected, every problem at once."""

from __future__ import annotations

import itertools
from typing import Any

from backend.graph.analyze import analyze_graph
from backend.graph.validate import validate_graph
from tests.factories import paper_graph


def node(node_id: str, node_type: str, **params: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "params": params}


def chain(*nodes: dict[str, Any]) -> dict[str, Any]:
    edges = [{"source": a["id"], "target": b["id"]} for a, b in itertools.pairwise(nodes)]
    return {"nodes": list(nodes), "edges": edges}


INPUT = node("input_1", "Input", height=224, width=224, channels=3)
RESNET = node("resnet50_1", "Backbone", architecture="ResNet50", weights="none", trainable="all")


def test_a_valid_graph_matches_what_a_save_accepts() -> None:
    analysis = analyze_graph(paper_graph(3))
    validated = validate_graph(paper_graph(3))
    assert analysis.valid and analysis.problems == []
    assert analysis.shapes == validated.shapes
    assert analysis.output_id == "output"


def test_a_half_built_draft_still_shows_the_connected_shapes() -> None:
    draft = chain(INPUT, RESNET)
    draft["nodes"].append(node("pool_1", "GlobalMaxPooling2D"))  # dropped, not yet connected
    analysis = analyze_graph(draft)
    assert not analysis.valid
    assert analysis.shapes["resnet50_1"] == (7, 7, 2048)
    assert analysis.params["resnet50_1"].total > 23_000_000
    assert "pool_1" not in analysis.shapes
    assert any(p.loc == ("graph", "nodes", "pool_1") for p in analysis.problems)


def test_dense_straight_after_a_backbone_is_flagged_on_the_dense_node() -> None:
    analysis = analyze_graph(chain(INPUT, RESNET, node("dense_1", "Dense", units=3)))
    [problem] = analysis.problems
    assert problem.loc == ("graph", "nodes", "dense_1")
    assert "GlobalMaxPooling2D" in problem.message and "Flatten" in problem.message
    assert analysis.shapes["resnet50_1"] == (7, 7, 2048)


def test_a_bad_parameter_blanks_only_its_branch_and_names_the_parameter() -> None:
    draft = chain(INPUT, RESNET, node("pool_1", "GlobalMaxPooling2D"),
                  node("dense_1", "Dense", units=-5), node("dense_2", "Dense", units=3))
    analysis = analyze_graph(draft)
    locs = [p.loc for p in analysis.problems]
    assert ("graph", "nodes", "dense_1", "params", "units") in locs
    assert analysis.shapes["pool_1"] == (2048,)
    assert "dense_1" not in analysis.shapes and "dense_2" not in analysis.shapes


def test_a_cycle_is_reported_and_the_rest_keeps_its_shapes() -> None:
    draft = chain(INPUT, node("conv_1", "Conv2D", filters=8), node("conv_2", "Conv2D", filters=8))
    draft["edges"].append({"source": "conv_2", "target": "conv_1"})
    analysis = analyze_graph(draft)
    assert any("cycle" in p.message for p in analysis.problems)
    assert analysis.shapes == {"input_1": (224, 224, 3)}


def test_garbage_gets_a_problem_not_a_crash() -> None:
    documents: list[Any] = [{"nodes": "x"}, [], {"nodes": [42], "edges": 7}]
    for document in documents:
        analysis = analyze_graph(document)
        assert not analysis.valid and analysis.problems
    unknown = analyze_graph(chain(INPUT, node("lstm_1", "LSTM", units=3)))
    assert any(p.loc[:3] == ("graph", "nodes", "lstm_1") for p in unknown.problems)
    assert unknown.shapes == {"input_1": (224, 224, 3)}


def test_a_node_id_with_a_dot_is_refused_on_its_id() -> None:
    # Node ids become layer names, and torch refuses a "." in a layer name.
    analysis = analyze_graph(chain(INPUT, node("conv.b", "Conv2D", filters=8)))
    assert any(p.loc[:4] == ("graph", "nodes", "conv.b", "id") for p in analysis.problems)
