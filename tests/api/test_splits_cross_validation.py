"""Grouped cross-validation as one experiment over HTTP: k runs queued on the real worker,
test metrics aggregated as mean and standard deviation."""

from __future__ import annotations

import statistics
from typing import Any

import httpx
import pytest

from tests.api.test_splits import SPEAKERS, dataset_id, speaker_zip
from tests.helpers import create_graph, problem_map, wait_for_run
from tests.worker.graphs import small_cnn


def cross_validation(client: httpx.Client, dataset: int, **fields: Any) -> httpx.Response:
    graph = create_graph(client, small_cnn(32, 3, 3), name="cv cnn")
    assert graph.status_code == 201, graph.text
    return client.post("/api/experiments/cross-validation", json={
        "graph_version_id": graph.json()["latest_version"]["id"], "dataset_id": dataset,
        "hyperparameters": {"epochs": 1, "batch_size": 8, "optimizer": {"type": "adam"}},
        "group_by": "speaker", **fields,
    })  # fmt: skip


def test_three_grouped_folds_run_and_are_averaged(client: httpx.Client) -> None:
    dataset = dataset_id(client, speaker_zip(salt=61_000))
    created = cross_validation(client, dataset, folds=3, validation=25, seed=2)
    assert created.status_code == 201, created.text
    experiment = created.json()
    assert experiment["kind"] == "grouped_k_fold" and experiment["folds"] == 3
    tested = [set(r["split_summary"]["test"]["by_group"]) for r in experiment["runs"]]
    assert sorted(s for group in tested for s in group) == sorted(SPEAKERS)
    assert [r["fold"] for r in experiment["runs"]] == [1, 2, 3]
    assert all(r["leakage_report"]["clean"] for r in experiment["runs"])

    finished = [wait_for_run(client, r["id"]) for r in experiment["runs"]]
    assert all(r["status"] == "succeeded" for r in finished), [r["error_message"] for r in finished]
    body = client.get(f"/api/experiments/{experiment['id']}").json()
    assert body["finished"] == 3 and body["failed"] == []
    accuracies = [r["test_metrics"]["test_accuracy"] for r in finished]
    summary = body["aggregate"]["test_accuracy"]
    assert summary["values"] == accuracies and summary["n"] == 3
    assert summary["mean"] == pytest.approx(statistics.fmean(accuracies))
    assert summary["std"] == pytest.approx(statistics.stdev(accuracies))


def test_leave_one_speaker_out_makes_a_fold_per_speaker(client: httpx.Client) -> None:
    dataset = dataset_id(client, speaker_zip(salt=62_000))
    created = cross_validation(client, dataset, folds="leave_one_group_out", validation=0)
    assert created.status_code == 201, created.text
    runs = created.json()["runs"]
    assert [set(r["split_summary"]["test"]["by_group"]) for r in runs] == [
        {s} for s in sorted(SPEAKERS)
    ]
    for run in runs:
        wait_for_run(client, run["id"])


def test_bad_cross_validation_requests_are_refused(client: httpx.Client) -> None:
    dataset = dataset_id(client, speaker_zip(salt=63_000))
    too_many = cross_validation(client, dataset, folds=7)
    assert "dataset" in problem_map(too_many)[("body", "folds")]
    assert "has 6" in problem_map(too_many)[("body", "folds")]
    unknown = cross_validation(client, dataset, group_by="session")
    assert "'session' is not a metadata column" in problem_map(unknown)[("body", "group_by")]
    assert client.get("/api/experiments/999999").status_code == 404
    missing = cross_validation(client, 999_999)
    assert ("body", "dataset_id") in problem_map(missing)
