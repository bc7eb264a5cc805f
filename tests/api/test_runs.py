from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.models import Run
from tests.factories import image_zip, paper_graph, paper_hyperparameters
from tests.helpers import create_graph, problem_map, start_run, upload_dataset


def run_count(db: sessionmaker[Session]) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(Run)) or 0


def stored_graph_version(client: httpx.Client, classes: int = 3) -> int:
    response = create_graph(client, paper_graph(classes))
    assert response.status_code == 201, response.text
    return int(response.json()["latest_version"]["id"])


def test_a_run_on_a_missing_dataset_and_graph_is_refused(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    before = run_count(db)
    problems = problem_map(start_run(client, 888888, 999999))
    assert problems[("body", "dataset_id")] == "dataset 999999 does not exist"
    assert problems[("body", "graph_version_id")] == "graph version 888888 does not exist"
    assert run_count(db) == before


def test_output_units_must_match_the_dataset_classes(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    dataset = upload_dataset(client, image_zip(per_class=2, classes=("anger", "neutral"), salt=400))
    assert dataset.status_code == 201, dataset.text
    before = run_count(db)
    problems = problem_map(start_run(client, stored_graph_version(client, 3), dataset.json()["id"]))
    message = problems[("graph", "nodes", "output", "params", "units")]
    assert "3 units" in message and "2 classes (anger, neutral)" in message
    assert run_count(db) == before


def test_every_bad_hyperparameter_is_named(client: httpx.Client) -> None:
    hyperparameters = paper_hyperparameters(epochs=0, rho=1.5)
    problems = problem_map(start_run(client, 1, 1, hyperparameters))
    assert ("body", "hyperparameters", "epochs") in problems
    assert ("body", "hyperparameters", "optimizer", "rho") in problems
    assert "1.5" in problems[("body", "hyperparameters", "optimizer", "rho")]


def test_missing_run_endpoints_are_404(client: httpx.Client) -> None:
    for path in (
        "/api/runs/999999",
        "/api/runs/999999/events",
        "/api/runs/999999/model",
        "/api/runs/999999/metrics",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["message"] == "Run 999999 does not exist"


def test_a_bad_last_event_id_is_refused(client: httpx.Client) -> None:
    dataset = upload_dataset(client, image_zip(per_class=2, salt=500))
    run = start_run(
        client, stored_graph_version(client), dataset.json()["id"], paper_hyperparameters(epochs=1)
    )
    assert run.status_code == 201, run.text
    response = client.get(
        f"/api/runs/{run.json()['id']}/events", headers={"Last-Event-ID": "yesterday"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["loc"] == ["header", "Last-Event-ID"]


def test_health_reports_every_part_up(client: httpx.Client) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert {name: c["status"] for name, c in body["components"].items()} == {
        "database": "up",
        "broker": "up",
        "worker": "up",
    }


def test_the_model_of_an_unfinished_run_is_not_there_yet(client: httpx.Client) -> None:
    dataset = upload_dataset(client, image_zip(per_class=2, salt=600))
    run = start_run(
        client, stored_graph_version(client), dataset.json()["id"], paper_hyperparameters(epochs=1)
    )
    # Asked at once: the worker needs seconds just to import Keras.
    response = client.get(f"/api/runs/{run.json()['id']}/model")
    assert response.status_code == 404
    assert "has no trained model (status: queued)" in response.json()["error"]["message"]
