"""Run tags over HTTP: set when a run is created, replaced later (tags are annotations, not
part of what was trained), refused with the bad tag's location, and carried to compare."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.test_compare import tiny_dataset
from tests.helpers import create_graph, problem_map
from tests.worker.graphs import small_cnn


def cancelled_tagged_run(client: httpx.Client, tags: list[str]) -> dict[str, Any]:
    """A tagged run that never trains, so the test does not wait on the worker."""
    graph = create_graph(client, small_cnn(32, 3, 3), name="tagged cnn")
    assert graph.status_code == 201, graph.text
    run = client.post("/api/runs", json={
        "graph_version_id": graph.json()["latest_version"]["id"],
        "dataset_id": tiny_dataset(client, salt=74_000),
        "hyperparameters": {"epochs": 50, "batch_size": 8, "seed": 3}, "tags": tags,
    })  # fmt: skip
    assert run.status_code == 201, run.text
    client.post(f"/api/runs/{run.json()['id']}/cancel")
    body: dict[str, Any] = run.json()
    return body


def test_tags_are_set_at_creation_replaced_later_and_compared(client: httpx.Client) -> None:
    run = cancelled_tagged_run(client, [" baseline ", "paper: table II", "baseline"])
    assert run["tags"] == ["baseline", "paper: table II"]  # stripped, duplicates dropped

    patched = client.patch(f"/api/runs/{run['id']}/tags", json={"tags": ["lr-sweep/2", "best"]})
    assert patched.status_code == 200, patched.text
    assert patched.json()["tags"] == ["lr-sweep/2", "best"]
    assert client.get(f"/api/runs/{run['id']}").json()["tags"] == ["lr-sweep/2", "best"]
    listed = {r["id"]: r for r in client.get("/api/runs").json()["data"]}
    assert listed[run["id"]]["tags"] == ["lr-sweep/2", "best"]

    rows = client.get(f"/api/runs/compare?ids={run['id']}").json()["rows"]
    assert rows[0]["tags"] == ["lr-sweep/2", "best"]

    cleared = client.patch(f"/api/runs/{run['id']}/tags", json={"tags": []})
    assert cleared.json()["tags"] == []


def test_bad_tags_are_refused_by_position(client: httpx.Client) -> None:
    run = cancelled_tagged_run(client, ["keep"])
    response = client.patch(
        f"/api/runs/{run['id']}/tags", json={"tags": ["fine", "no!", "   ", "x" * 41]}
    )
    problems = problem_map(response)
    assert "received 'no!'" in problems[("body", "tags", 1)]
    assert ("body", "tags", 2) in problems and ("body", "tags", 3) in problems
    assert ("body", "tags", 0) not in problems
    many = [str(i) for i in range(21)]
    too_many = client.patch(f"/api/runs/{run['id']}/tags", json={"tags": many})
    assert ("body", "tags") in problem_map(too_many)
    assert client.get(f"/api/runs/{run['id']}").json()["tags"] == ["keep"]  # left as it was

    created = client.post("/api/runs", json={"graph_version_id": 1, "dataset_id": 1,
                                             "tags": ["ok", "<script>"]})  # fmt: skip
    assert ("body", "tags", 1) in problem_map(created)


def test_tagging_an_unknown_run_is_404(client: httpx.Client) -> None:
    response = client.patch("/api/runs/999999/tags", json={"tags": ["x"]})
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Run 999999 does not exist"
