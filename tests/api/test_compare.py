"""Comparing runs over HTTP: rows of final numbers and curves from real training on the
live worker, and McNemar's test refusing what it cannot test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import Stack
from tests.factories import image_zip
from tests.helpers import create_graph, problem_map, upload_dataset, wait_for_run
from tests.worker.graphs import small_cnn

HYPERPARAMETERS = {"epochs": 2, "batch_size": 8, "optimizer": {"type": "adam"}, "seed": 3}


def tiny_dataset(client: httpx.Client, salt: int) -> int:
    response = upload_dataset(client, image_zip(per_class=4, salt=salt))
    assert response.status_code in (200, 201), response.text
    return int(response.json()["id"])


def queue_cnn(client: httpx.Client, dataset: int, **hyperparameters: Any) -> dict[str, Any]:
    graph = create_graph(client, small_cnn(32, 3, 3), name="compare cnn")
    assert graph.status_code == 201, graph.text
    run = client.post("/api/runs", json={
        "graph_version_id": graph.json()["latest_version"]["id"], "dataset_id": dataset,
        "hyperparameters": HYPERPARAMETERS | hyperparameters,
        "split": {"train": 50, "validation": 25, "test": 25, "seed": 4},
        "leakage_override": "synthetic colour squares look alike by design",
    })  # fmt: skip
    assert run.status_code == 201, run.text
    body: dict[str, Any] = run.json()
    return body


def cancelled_run(client: httpx.Client, dataset: int) -> int:
    """A run that never trains, so no worker writes its results under the test's feet."""
    run = queue_cnn(client, dataset, epochs=50)
    client.post(f"/api/runs/{run['id']}/cancel")
    return int(run["id"])


def test_compare_gives_a_row_and_curves_per_run(client: httpx.Client) -> None:
    dataset = tiny_dataset(client, salt=71_000)
    first = queue_cnn(client, dataset)
    second = queue_cnn(client, dataset, optimizer={"type": "adam", "learning_rate": 0.01})
    for run in (first, second):
        finished = wait_for_run(client, run["id"])
        assert finished["status"] == "succeeded", finished["error_message"]
    body = client.get(f"/api/runs/compare?ids={second['id']},{first['id']}").json()
    rows = body["rows"]
    assert [r["run_id"] for r in rows] == [second["id"], first["id"]]  # the order asked for
    for row in rows:
        assert row["model"] == "compare cnn" and row["epochs_completed"] == 2
        assert 0 <= row["train_accuracy"] <= 1 and 0 <= row["val_accuracy"] <= 1
        assert row["train_loss"] > 0 and row["val_loss"] > 0
        assert row["num_params"] > 0 and row["seconds_per_epoch"] > 0
        assert row["test_accuracy"] is not None
        assert row["hyperparameters"]["optimizer.type"] == "adam"
    assert rows[0]["hyperparameters"]["optimizer.learning_rate"] == 0.01
    assert rows[1]["hyperparameters"]["optimizer.learning_rate"] == 0.001
    curves = {c["run_id"]: c for c in body["curves"]}
    assert curves[first["id"]]["epochs"] == [1, 2]
    assert len(curves[first["id"]]["metrics"]["val_loss"]) == 2


def test_bad_compare_requests_are_refused(client: httpx.Client) -> None:
    assert ("query", "ids") in problem_map(client.get("/api/runs/compare?ids=3,x"))
    assert client.get("/api/runs/compare").status_code == 422
    missing = client.get("/api/runs/compare?ids=999998,999999")
    assert missing.status_code == 404
    assert "999998, 999999" in missing.json()["error"]["message"]


def write_predictions(stack: Stack, run_id: int, correct: dict[int, bool]) -> None:
    folder = stack.var_dir / "storage" / "runs" / str(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    items: list[dict[str, Any]] = [{"item_id": i, "path": f"x/{i}.png", "true": "anger",
              "predicted": "anger" if ok else "stress", "probabilities": [], "metadata": {}}
             for i, ok in correct.items()]  # fmt: skip
    Path(folder / "predictions.json").write_text(json.dumps({"classes": [], "items": items}))


def test_mcnemar_on_two_runs_scored_on_the_same_items(client: httpx.Client, stack: Stack) -> None:
    dataset = tiny_dataset(client, salt=72_000)
    a, b, other = (cancelled_run(client, dataset) for _ in range(3))
    # 10 items only a got right, 2 only b: the exact test, p = 2 * 79 / 4096
    write_predictions(stack, a, {i: i < 10 or i >= 12 for i in range(20)})
    write_predictions(stack, b, {i: i >= 10 for i in range(20)})
    body = client.get(f"/api/runs/mcnemar?a={a}&b={b}").json()
    assert (body["n"], body["b01"], body["b10"], body["exact"]) == (20, 10, 2, True)
    assert abs(body["p_value"] - 158 / 4096) < 1e-9
    assert body["a_accuracy"] == 18 / 20 and body["b_accuracy"] == 10 / 20

    write_predictions(stack, other, {i: True for i in range(5, 25)})
    differ = client.get(f"/api/runs/mcnemar?a={a}&b={other}")
    assert "test splits differ" in differ.json()["error"]["message"]
    assert "5 test item(s) only in run" in problem_map(differ)[("query", "b")]


def test_mcnemar_refuses_runs_without_predictions(client: httpx.Client, stack: Stack) -> None:
    dataset = tiny_dataset(client, salt=73_000)
    a, b = cancelled_run(client, dataset), cancelled_run(client, dataset)
    write_predictions(stack, a, {1: True})
    missing = client.get(f"/api/runs/mcnemar?a={a}&b={b}")
    assert f"run {b} has no stored predictions" in problem_map(missing)[("query", "b")]
    same = client.get(f"/api/runs/mcnemar?a={a}&b={a}")
    assert "both run" in problem_map(same)[("query", "b")]
    assert client.get(f"/api/runs/mcnemar?a={a}&b=999999").status_code == 404
    assert client.get(f"/api/runs/mcnemar?a={a}").status_code == 422
