from __future__ import annotations

import copy

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.models import Graph
from tests.factories import paper_graph
from tests.helpers import create_graph, problem_map


def graph_count(db: sessionmaker[Session]) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(Graph)) or 0


def test_graph_versions_are_immutable_and_numbered(client: httpx.Client) -> None:
    created = create_graph(client, paper_graph(3), name="resnet head")
    assert created.status_code == 201, created.text
    first = created.json()["latest_version"]
    assert first["version"] == 1
    changed = paper_graph(3, hidden=256)
    second = client.post(f"/api/graphs/{created.json()['id']}/versions", json={"graph": changed})
    assert second.status_code == 201 and second.json()["version"] == 2
    assert second.json()["content_hash"] != first["content_hash"]
    stored_first = client.get(f"/api/graph-versions/{first['id']}").json()
    dense = next(n for n in stored_first["spec"]["nodes"] if n["id"] == "dense")
    assert dense["params"]["units"] == 512


def test_a_cycle_is_refused_and_nothing_is_stored(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    before = graph_count(db)
    graph = paper_graph(3)
    graph["edges"].append({"source": "output", "target": "dense"})
    response = create_graph(client, graph)
    problems = problem_map(response)
    assert any("cycle" in message for message in problems.values()), problems
    assert graph_count(db) == before


def test_dense_on_an_image_shape_gets_advice(client: httpx.Client) -> None:
    graph = paper_graph(3)
    graph["nodes"] = [n for n in graph["nodes"] if n["id"] != "pool"]
    graph["edges"] = [e for e in graph["edges"] if "pool" not in (e["source"], e["target"])]
    graph["edges"].append({"source": "backbone", "target": "dense"})
    problems = problem_map(create_graph(client, graph))
    message = problems[("graph", "nodes", "dense")]
    assert "Dense needs a flat input" in message and "GlobalMaxPooling2D" in message


def test_bad_parameters_are_located_by_node_id(client: httpx.Client) -> None:
    graph = copy.deepcopy(paper_graph(3))
    graph["nodes"][3]["params"]["units"] = -1
    graph["nodes"][1]["params"]["architecture"] = "ResNet9000"
    problems = problem_map(create_graph(client, graph))
    assert "greater than or equal to 1" in problems[("graph", "nodes", "dense", "params", "units")]
    assert any(loc[-1] == "architecture" and "backbone" in loc for loc in problems)


def test_backbone_minimum_input_size(client: httpx.Client) -> None:
    problems = problem_map(
        create_graph(client, paper_graph(3, size=32, architecture="InceptionV3"))
    )
    assert "at least 75x75" in problems[("graph", "nodes", "backbone", "params", "architecture")]


def test_validate_reports_shapes_without_storing(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    before = graph_count(db)
    response = client.post("/api/graphs/validate", json={"graph": paper_graph(3, size=64)})
    assert response.status_code == 200, response.text
    shapes = response.json()["shapes"]
    assert shapes["backbone"] == [2, 2, 2048]
    assert shapes["pool"] == [2048] and shapes["output"] == [3]
    assert graph_count(db) == before


def test_version_of_a_missing_graph_is_404(client: httpx.Client) -> None:
    response = client.post("/api/graphs/999999/versions", json={"graph": paper_graph(3)})
    assert response.status_code == 404
    assert "Graph 999999 does not exist" in response.json()["error"]["message"]


def test_missing_graph_and_version_are_404(client: httpx.Client) -> None:
    assert client.get("/api/graphs/999999").status_code == 404
    response = client.get("/api/graph-versions/999999")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Graph version 999999 does not exist"


def test_validate_reports_every_problem_at_once(client: httpx.Client) -> None:
    graph = paper_graph(3)
    graph["nodes"].append({"id": "stray", "type": "Dropout", "params": {"rate": 0.5}})
    graph["nodes"].append({"id": "input2", "type": "Input", "params": {"height": 8, "width": 8}})
    problems = problem_map(client.post("/api/graphs/validate", json={"graph": graph}))
    assert "exactly one Input" in problems[("graph", "nodes")]
    assert "not connected" in problems[("graph", "nodes", "stray")]
