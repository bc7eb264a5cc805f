"""The canvas's two read-only calls over HTTP: the layer catalogue and the draft analysis."""

from __future__ import annotations

import httpx

from tests.factories import paper_graph


def test_the_catalogue_drives_palette_and_forms(client: httpx.Client) -> None:
    response = client.get("/api/graph-schema")
    assert response.status_code == 200
    body = response.json()
    resnet = next(e for e in body["palette"] if e["key"] == "backbone:ResNet50")
    assert resnet["type"] == "Backbone" and resnet["params"]["architecture"] == "ResNet50"
    input_layer = next(layer for layer in body["layers"] if layer["type"] == "Input")
    assert input_layer["inputs"] == "none"
    assert set(input_layer["params_schema"]["required"]) == {"height", "width"}


def test_a_draft_with_a_mistake_gets_shapes_and_the_problem_on_its_node(
    client: httpx.Client,
) -> None:
    graph = paper_graph(3)
    graph["nodes"] = [n for n in graph["nodes"] if n["id"] != "pool"]
    graph["edges"] = [e for e in graph["edges"] if "pool" not in (e["source"], e["target"])]
    graph["edges"].append({"source": "backbone", "target": "dense"})
    response = client.post("/api/graphs/analyze", json={"graph": graph})
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    [problem] = body["problems"]
    assert problem["node_id"] == "dense" and "GlobalMaxPooling2D" in problem["message"]
    assert body["shapes"]["backbone"] == [1, 1, 2048]  # ResNet50 at 32x32
    assert "output" not in body["shapes"]


def test_a_complete_graph_is_valid_with_totals(client: httpx.Client) -> None:
    body = client.post("/api/graphs/analyze", json={"graph": paper_graph(3)}).json()
    assert body["valid"] is True and body["problems"] == [] and body["output"] == "output"
    assert body["totals"]["trainable"] == sum(c["trainable"] for c in body["params"].values())


def test_bad_parameters_name_node_and_parameter(client: httpx.Client) -> None:
    graph = paper_graph(3)
    next(n for n in graph["nodes"] if n["id"] == "dense")["params"]["units"] = "many"
    body = client.post("/api/graphs/analyze", json={"graph": graph}).json()
    [problem] = body["problems"]
    assert (problem["node_id"], problem["param"]) == ("dense", "units")


def test_a_body_without_a_graph_object_is_refused(client: httpx.Client) -> None:
    for bad in ({}, {"graph": [1, 2]}, {"graph": "resnet"}):
        response = client.post("/api/graphs/analyze", json=bad)
        assert response.status_code == 422, bad
        assert response.json()["error"]["problems"][0]["loc"][:2] == ["body", "graph"]


def test_an_unknown_weights_file_shows_on_the_draft_as_a_save_would_refuse_it(
    client: httpx.Client,
) -> None:
    graph = paper_graph(3)
    backbone = next(n for n in graph["nodes"] if n["id"] == "backbone")
    backbone["params"].update(weights="file", weights_file="0" * 64)
    body = client.post("/api/graphs/analyze", json={"graph": graph}).json()
    assert body["valid"] is False
    [problem] = body["problems"]
    assert (problem["node_id"], problem["param"]) == ("backbone", "weights_file")
    assert "upload it" in problem["message"]
    assert body["shapes"]["output"] == [3]  # the shapes are still all there
