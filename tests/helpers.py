"""HTTP steps of the main job, shared by the API, end-to-end and browser tests."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.factories import image_zip, paper_graph, paper_hyperparameters

TERMINAL = {"succeeded", "failed", "cancelled"}


def upload_dataset(
    client: httpx.Client, payload: bytes, filename: str = "emotion.zip", name: str | None = None
) -> httpx.Response:
    data = {"name": name} if name else None
    return client.post(
        "/api/datasets", files={"file": (filename, payload, "application/zip")}, data=data
    )


def create_graph(
    client: httpx.Client, graph: dict[str, Any], name: str = "paper"
) -> httpx.Response:
    return client.post("/api/graphs", json={"name": name, "graph": graph})


def start_run(
    client: httpx.Client,
    graph_version_id: int,
    dataset_id: int,
    hyperparameters: dict[str, Any] | None = None,
) -> httpx.Response:
    return client.post(
        "/api/runs",
        json={
            "graph_version_id": graph_version_id,
            "dataset_id": dataset_id,
            "hyperparameters": hyperparameters or paper_hyperparameters(),
        },
    )


def queue_paper_run(
    client: httpx.Client,
    epochs: int = 2,
    per_class: int = 6,
    size: int = 32,
    salt: int = 0,
    architecture: str = "ResNet50",
) -> dict[str, Any]:
    """Uploads a tiny dataset, stores the paper's graph and starts a run; returns the run."""
    dataset = upload_dataset(client, image_zip(per_class=per_class, size=size, salt=salt))
    assert dataset.status_code in (200, 201), dataset.text
    graph = create_graph(client, paper_graph(3, size=size, architecture=architecture))
    assert graph.status_code == 201, graph.text
    run = start_run(
        client,
        graph.json()["latest_version"]["id"],
        dataset.json()["id"],
        paper_hyperparameters(epochs=epochs),
    )
    assert run.status_code == 201, run.text
    body: dict[str, Any] = run.json()
    return body


def problem_map(response: httpx.Response, status: int = 422) -> dict[tuple[object, ...], str]:
    """An error's problems by location, as the one error body shape lists them."""
    assert response.status_code == status, response.text
    return {tuple(p["loc"]): p["message"] for p in response.json()["error"]["problems"]}


def wait_for_run(client: httpx.Client, run_id: int, timeout: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run: dict[str, Any] = client.get(f"/api/runs/{run_id}").json()
        if run["status"] in TERMINAL:
            return run
        time.sleep(0.5)
    raise TimeoutError(f"run {run_id} did not finish in {timeout} s")


def train_split_cnn(
    client: httpx.Client, *, per_class: int, salt: int, name: str, seed: int, split_seed: int
) -> dict[str, Any]:
    """A small CNN trained 2 epochs on a 50/25/25 split of coloured squares; the run, finished."""
    from tests.worker.graphs import small_cnn

    dataset = upload_dataset(client, image_zip(per_class=per_class, size=16, salt=salt))
    assert dataset.status_code in (200, 201), dataset.text
    graph = create_graph(client, small_cnn(16, 3, 3), name=name)
    assert graph.status_code == 201, graph.text
    created = client.post("/api/runs", json={
        "graph_version_id": graph.json()["latest_version"]["id"],
        "dataset_id": dataset.json()["id"],
        "hyperparameters": {"epochs": 2, "batch_size": 8, "seed": seed,
                            "optimizer": {"type": "adam", "learning_rate": 0.01}},
        "split": {"train": 50, "validation": 25, "test": 25, "seed": split_seed},
        "leakage_override": "synthetic colour squares look alike by design",
    })  # fmt: skip
    assert created.status_code == 201, created.text
    run = wait_for_run(client, created.json()["id"])
    assert run["status"] == "succeeded", run["error_message"]
    return run
