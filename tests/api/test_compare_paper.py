"""The paper experiment over HTTP: four graphs and four runs queued together with one
split and one set of hyperparameters; refused requests store nothing."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.models.graph import Graph
from backend.models.run import Run
from tests.api.test_compare import tiny_dataset
from tests.helpers import problem_map

LABELS = ["ResNet50", "WideResNet", "SqueezeNet", "InceptionV3"]


def paper(client: httpx.Client, dataset: int, **fields: Any) -> httpx.Response:
    return client.post("/api/experiments/paper", json={
        "dataset_id": dataset, "size": 75, "weights": "none",
        "hyperparameters": {"epochs": 1, "batch_size": 4, "optimizer": {"type": "adam"}},
        "split": {"train": 50, "validation": 25, "test": 25, "seed": 5},
        "leakage_override": "synthetic colour squares look alike by design", **fields,
    })  # fmt: skip


def test_paper_experiment_queues_four_runs_on_one_split(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    created = paper(client, tiny_dataset(client, salt=74_000))
    assert created.status_code == 201, created.text
    body = created.json()
    try:
        assert body["kind"] == "paper" and [m["label"] for m in body["models"]] == LABELS
        runs = body["runs"]
        assert len(runs) == 4 and {r["experiment_id"] for r in runs} == {body["id"]}
        assert all(r["status"] in ("queued", "running") for r in runs)
        assert len({str(r["hyperparameters"]) for r in runs}) == 1
        assert runs[0]["hyperparameters"]["optimizer"]["type"] == "adam"
        assert len({str(r["split"]) for r in runs}) == 1
        with db() as session:
            stored = session.scalars(select(Run).where(Run.experiment_id == body["id"])).all()
            assignments = {str(sorted((r.split_assignment or {}).items())) for r in stored}
        assert len(stored) == 4 and len(assignments) == 1  # the same items in every part
        graphs = [client.get(f"/api/graph-versions/{m['graph_version_id']}").json()
                  for m in body["models"]]  # fmt: skip
        nodes = [{n["id"]: n for n in g["spec"]["nodes"]} for g in graphs]
        assert [n["backbone"]["params"]["architecture"] for n in nodes] == [
            "ResNet50", "WideResNet50_2", "SqueezeNet11", "InceptionV3"]
        assert {n["backbone"]["params"]["weights"] for n in nodes} == {"none"}
        assert {n["input"]["params"]["height"] for n in nodes} == {75}
        assert {n["output"]["params"]["units"] for n in nodes} == {3}
        assert {n["dense"]["params"]["units"] for n in nodes} == {512}
        assert [r["run_id"] for r in body["comparison"]["rows"]] == [r["id"] for r in runs]
        listed = {e["id"]: e for e in client.get("/api/experiments/paper").json()}
        assert len(listed[body["id"]]["statuses"]) == 4 and listed[body["id"]]["size"] == 75
    finally:
        for run in body["runs"]:
            client.post(f"/api/runs/{run['id']}/cancel")
    # Partial results are a report too: each row shows where its run stands.
    csv = client.get(body["reports"]["csv"])
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("Model,Status,Train accuracy") and len(lines) == 5
    assert [line.split(",")[0] for line in lines[1:]] == LABELS


def test_paper_experiment_defaults_to_the_paper_preset(client: httpx.Client) -> None:
    created = paper(client, tiny_dataset(client, salt=75_000), hyperparameters=None)
    assert created.status_code == 201, created.text
    body = created.json()
    for run in body["runs"]:
        client.post(f"/api/runs/{run['id']}/cancel")
    optimizer = body["runs"][0]["hyperparameters"]["optimizer"]
    assert optimizer["type"] == "adadelta" and optimizer["learning_rate"] == 1e-4


def test_bad_paper_requests_are_refused_and_store_nothing(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    dataset = tiny_dataset(client, salt=76_000)
    with db() as session:
        graphs_before = session.scalar(select(func.count()).select_from(Graph))
    small = paper(client, dataset, size=32)
    assert "InceptionV3 needs at least 75x75" in problem_map(small)[("body", "size")]
    assert ("body", "dataset_id") in problem_map(paper(client, 999_999))
    assert ("body", "weights") in problem_map(paper(client, dataset, weights="file"))
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Graph)) == graphs_before
    assert client.get("/api/experiments/999999/report?format=csv").status_code == 404
    assert client.get("/api/experiments/999999/comparison").status_code == 404
    assert ("query", "format") in problem_map(client.get("/api/experiments/1/report?format=pdf"))
