"""View code: a graph version as a Keras script, served inline as Python."""

from __future__ import annotations

import ast

import httpx

from backend.graphs.templates import small_cnn
from tests.factories import image_zip, paper_graph, paper_hyperparameters
from tests.helpers import start_run, upload_dataset


def small_cnn_graph() -> dict[str, object]:
    return small_cnn(3, size=16).graph


def test_a_version_is_served_as_a_python_script_named_after_the_graph(
    client: httpx.Client,
) -> None:
    created = client.post(
        "/api/graphs", json={"name": "Emotion: ResNet50 head!", "graph": paper_graph(3)}
    ).json()
    version = created["latest_version"]
    response = client.get(f"/api/graph-versions/{version['id']}/code")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-python")
    disposition = response.headers["content-disposition"]
    assert disposition == 'inline; filename="emotion_resnet50_head_v1.py"'
    script = response.text
    tree = ast.parse(script)
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert "build_model" in functions
    assert "keras.applications.ResNet50(" in script and 'name="backbone"' in script
    assert 'imagenet_preprocessing("caffe"' in script
    assert "TRAINING SETTINGS" in script and 'if __name__ == "__main__":' in script
    assert "model.summary()" in script


def test_code_for_a_missing_version_is_404(client: httpx.Client) -> None:
    response = client.get("/api/graph-versions/987654/code")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_run_is_served_with_its_training_settings(client: httpx.Client) -> None:
    dataset = upload_dataset(client, image_zip(per_class=2, size=16, salt=41))
    assert dataset.status_code in (200, 201), dataset.text
    graph = client.post("/api/graphs", json={"name": "tiny", "graph": small_cnn_graph()}).json()
    hyperparameters = paper_hyperparameters(epochs=1, batch_size=4)
    hyperparameters["optimizer"] = {"type": "adam", "learning_rate": 0.002}
    run = start_run(client, graph["latest_version"]["id"], dataset.json()["id"], hyperparameters)
    assert run.status_code == 201, run.text
    response = client.get(f"/api/runs/{run.json()['id']}/code")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        f'inline; filename="tiny_v1_run{run.json()["id"]}.py"'
    )
    script = response.text
    ast.parse(script)
    assert f"TRAINING SETTINGS of dlstudio run {run.json()['id']}" in script
    assert "keras.optimizers.Adam(learning_rate=0.002" in script and "EPOCHS = 1" in script


def test_code_for_a_missing_run_is_404(client: httpx.Client) -> None:
    response = client.get("/api/runs/987654/code")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
