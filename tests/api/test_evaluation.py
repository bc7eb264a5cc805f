"""A run's evaluation and predictions over HTTP, from real training on the live worker."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from backend.models import Run
from tests.helpers import problem_map, train_split_cnn

CLASSES = ["anger", "neutral", "stress"]


@pytest.fixture(scope="module")
def trained(stack: object) -> dict[str, Any]:
    """One small CNN trained 2 epochs on a 50/25/25 split (12 test images)."""
    from tests.conftest import Stack

    assert isinstance(stack, Stack)
    with httpx.Client(base_url=stack.base_url, timeout=30) as client:
        return train_split_cnn(client, per_class=16, salt=66_000, name="evaluation cnn",
                               seed=2, split_seed=1)  # fmt: skip


def test_the_evaluation_reports_the_test_split_with_the_best_checkpoint(
    client: httpx.Client, trained: dict[str, Any]
) -> None:
    response = client.get(f"/api/runs/{trained['id']}/evaluation")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["split"] == "test" and body["checkpoint"] == "best"
    assert body["best_epoch"] in (1, 2) and body["classes"] == CLASSES and body["n"] == 12
    lo, hi = body["accuracy"]["ci95"]
    assert lo <= body["accuracy"]["value"] <= hi
    assert sum(map(sum, body["confusion"]["counts"])) == 12
    assert body["recording_level"] is None
    assert trained["test_metrics"]["test_balanced_accuracy"] == body["balanced_accuracy"]["value"]


def test_a_confusion_cell_lists_its_items_with_probabilities_and_images(
    client: httpx.Client, trained: dict[str, Any]
) -> None:
    run_id = trained["id"]
    counts = client.get(f"/api/runs/{run_id}/evaluation").json()["confusion"]["counts"]
    everything = client.get(f"/api/runs/{run_id}/predictions").json()
    assert everything["count"] == 12 and everything["classes"] == CLASSES
    for t, true in enumerate(CLASSES):
        for p, predicted in enumerate(CLASSES):
            cell = client.get(f"/api/runs/{run_id}/predictions",
                              params={"true": true, "predicted": predicted}).json()
            assert cell["count"] == counts[t][p]
            assert all(i["true"] == true and i["predicted"] == predicted for i in cell["items"])
    item = everything["items"][0]
    assert len(item["probabilities"]) == 3 and abs(sum(item["probabilities"]) - 1) < 1e-3
    image = client.get(item["image_url"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert client.get(item["thumbnail_url"]).status_code == 200


def test_predictions_page(client: httpx.Client, trained: dict[str, Any]) -> None:
    path = f"/api/runs/{trained['id']}/predictions"
    whole = [i["item_id"] for i in client.get(path).json()["items"]]
    first = client.get(path, params={"limit": 5}).json()
    rest = client.get(path, params={"limit": 5, "offset": 5}).json()
    assert first["count"] == rest["count"] == 12
    assert [i["item_id"] for i in first["items"] + rest["items"]] == whole[:10]
    assert client.get(path, params={"offset": 100}).json()["items"] == []


def test_an_unknown_class_in_a_filter_is_refused_listing_the_classes(
    client: httpx.Client, trained: dict[str, Any]
) -> None:
    response = client.get(f"/api/runs/{trained['id']}/predictions",
                          params={"true": "happy", "predicted": "angry"})
    problems = problem_map(response)
    assert problems[("query", "true")] == (
        "'happy' is not one of the run's classes (anger, neutral, stress)")
    assert ("query", "predicted") in problems


def test_bad_paging_is_refused(client: httpx.Client, trained: dict[str, Any]) -> None:
    path = f"/api/runs/{trained['id']}/predictions"
    assert client.get(path, params={"limit": 0}).status_code == 422
    assert client.get(path, params={"offset": -1}).status_code == 422
    assert client.get(path, params={"limit": "many"}).status_code == 422


def test_missing_runs_and_evaluations_are_404_with_a_reason(
    client: httpx.Client, trained: dict[str, Any], db: sessionmaker[Session]
) -> None:
    for path in ("/api/runs/999999/evaluation", "/api/runs/999999/predictions"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["message"] == "Run 999999 does not exist"
    with db() as session:  # a run that failed before evaluating: no worker will touch it
        source = session.get_one(Run, trained["id"])
        failed = Run(project_id=source.project_id, graph_version_id=source.graph_version_id,
                     dataset_id=source.dataset_id, name="failed", status="failed",
                     hyperparameters=source.hyperparameters)
        session.add(failed)
        session.commit()
        failed_id = failed.id
    for path in (f"/api/runs/{failed_id}/evaluation", f"/api/runs/{failed_id}/predictions"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["message"] == (
            f"Run {failed_id} has no evaluation: it ended failed before evaluating")
