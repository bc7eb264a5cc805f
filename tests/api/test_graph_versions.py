"""Version history: parent and message, diff, restore as a new version, fork."""

from __future__ import annotations

import httpx

from tests.factories import paper_graph
from tests.helpers import problem_map


def save(
    client: httpx.Client,
    graph_id: int,
    graph: dict[str, object],
    message: str,
    parent: int | None = None,
) -> dict[str, object]:
    body: dict[str, object] = {"graph": graph, "message": message}
    if parent is not None:
        body["parent_version_id"] = parent
    response = client.post(f"/api/graphs/{graph_id}/versions", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_history_diff_restore_and_fork(client: httpx.Client) -> None:
    created = client.post(
        "/api/graphs",
        json={"name": "paper", "graph": paper_graph(3), "message": "the paper's head"},
    ).json()
    graph_id, v1 = created["id"], created["latest_version"]
    assert v1["message"] == "the paper's head" and v1["parent_id"] is None
    smaller = paper_graph(3, hidden=256)
    smaller["nodes"].insert(4, {"id": "drop", "type": "Dropout", "params": {"rate": 0.5}})
    smaller["edges"] = [e for e in smaller["edges"] if e["source"] != "dense"]
    smaller["edges"] += [
        {"source": "dense", "target": "drop"},
        {"source": "drop", "target": "output"},
    ]
    v2 = save(client, graph_id, smaller, "smaller head with dropout")
    assert v2["parent_id"] == v1["id"] and v2["version"] == 2

    diff = client.get(
        f"/api/graphs/{graph_id}/diff", params={"from": v1["id"], "to": v2["id"]}
    ).json()
    assert diff["nodes_added"] == ["drop"] and diff["nodes_removed"] == []
    assert diff["nodes_changed"] == [
        {"id": "dense", "changes": [{"field": "params.units", "before": 512, "after": 256}]}
    ]
    assert diff["edges_removed"] == [["dense", "output"]]
    assert sorted(diff["edges_added"]) == [["dense", "drop"], ["drop", "output"]]

    restored = client.post(f"/api/graphs/{graph_id}/restore", json={"version_id": v1["id"]})
    assert restored.status_code == 201
    v3 = restored.json()
    assert v3["version"] == 3 and v3["parent_id"] == v2["id"]
    assert v3["message"] == "Restored version 1" and v3["content_hash"] == v1["content_hash"]
    history = client.get(f"/api/graphs/{graph_id}/versions").json()
    assert [v["version"] for v in history["data"]] == [3, 2, 1]

    branch = save(client, graph_id, paper_graph(3, hidden=128), "tried 128", parent=v2["id"])
    assert branch["parent_id"] == v2["id"] and branch["version"] == 4

    fork = client.post(
        f"/api/graphs/{graph_id}/fork", json={"version_id": v2["id"], "name": "dropout variant"}
    )
    assert fork.status_code == 201
    forked = fork.json()
    assert forked["id"] != graph_id and forked["latest_version"]["version"] == 1
    assert forked["latest_version"]["content_hash"] == v2["content_hash"]
    assert forked["latest_version"]["message"] == "Forked from paper version 2"


def test_history_requests_with_bad_ids_are_explained(client: httpx.Client) -> None:
    graph = client.post("/api/graphs", json={"name": "g", "graph": paper_graph(3)}).json()
    other = client.post("/api/graphs", json={"name": "h", "graph": paper_graph(3)}).json()
    foreign = other["latest_version"]["id"]
    restore = client.post(f"/api/graphs/{graph['id']}/restore", json={"version_id": foreign})
    assert f"has no version with id {foreign}" in restore.json()["error"]["message"]
    assert restore.status_code == 422
    wrong_parent = client.post(
        f"/api/graphs/{graph['id']}/versions",
        json={"graph": paper_graph(3), "parent_version_id": foreign},
    )
    assert ("body", "parent_version_id") in problem_map(wrong_parent)
    no_query = client.get(f"/api/graphs/{graph['id']}/diff")
    assert ("query", "from") in problem_map(no_query)
    assert client.get("/api/graphs/999999/versions").status_code == 404
    assert (
        client.post("/api/graphs/999999/fork", json={"version_id": 1, "name": "x"}).status_code
        == 404
    )


def test_templates_are_valid_graphs_for_the_asked_classes(client: httpx.Client) -> None:
    listed = client.get("/api/graph-templates", params={"classes": 4}).json()
    ids = [template["id"] for template in listed]
    assert "paper-resnet50" in ids and "paper-inceptionv3" in ids and "small-cnn" in ids
    for template in listed:
        checked = client.post("/api/graphs/validate", json={"graph": template["graph"]})
        assert checked.status_code == 200, (template["id"], checked.text)
        assert checked.json()["shapes"]["output"] == [4]
    resnet = next(t for t in listed if t["id"] == "paper-resnet50")
    shapes = client.post("/api/graphs/validate", json={"graph": resnet["graph"]}).json()["shapes"]
    assert shapes["backbone"] == [7, 7, 2048]  # the issue's (None, 7, 7, 2048) at 224x224
    assert client.get("/api/graph-templates", params={"classes": 1}).status_code == 422
