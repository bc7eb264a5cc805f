"""Model versions over HTTP against the real worker: a succeeded run's bundles reproduce the
app's own test-set predictions in a fresh process (the .keras bundle to 1e-5, ONNX and
SavedModel by class), using only what the bundle carries; and the refusals."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from backend.models import Dataset
from tests.conftest import Stack
from tests.factories import image_zip
from tests.helpers import create_graph, upload_dataset, wait_for_run
from tests.worker.graphs import small_cnn

SPLIT = {"train": 50, "validation": 25, "test": 25, "seed": 3}
# The factory's plain-colour images are near-duplicates by design; the card must say so.
OVERRIDE = "synthetic single-colour images: duplicates across parts are expected"


def _train(client: httpx.Client, salt: int) -> dict[str, Any]:
    dataset = upload_dataset(client, image_zip(per_class=8, size=32, salt=salt))
    assert dataset.status_code in (200, 201), dataset.text
    graph = create_graph(client, small_cnn(32), name=f"bundle-{salt}")
    assert graph.status_code == 201, graph.text
    run = client.post("/api/runs", json={
        "graph_version_id": graph.json()["latest_version"]["id"],
        "dataset_id": dataset.json()["id"], "split": SPLIT, "leakage_override": OVERRIDE,
        "hyperparameters": {"epochs": 3, "batch_size": 8, "seed": 5,
                            "optimizer": {"type": "adam", "learning_rate": 0.01}},
    })
    assert run.status_code == 201, run.text
    finished = wait_for_run(client, run.json()["id"])
    assert finished["status"] == "succeeded", finished.get("error_message")
    return finished


def _download(client: httpx.Client, model_id: int, fmt: str, into: Path) -> Path:
    """The bundle, waiting out the 202s while the worker builds an on-demand export."""
    deadline = time.monotonic() + 240
    while True:
        response = client.get(f"/api/models/{model_id}/download", params={"format": fmt})
        if response.status_code != 202:
            break
        assert response.json()["status"] == "building"
        assert time.monotonic() < deadline, f"the {fmt} export never finished"
        time.sleep(1)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(into)
    (folder,) = into.iterdir()
    assert folder.name == f"dlstudio-model-{model_id}-{fmt}"
    return folder


def _predict_with_bundle(bundle: Path, images: Path) -> dict[str, dict[str, Any]]:
    """The bundle's own predict.py in a fresh process: its preprocessing, its model file."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, str(bundle / "predict.py"), str(images)],
                            capture_output=True, text=True, env=env, timeout=300,
                            check=False, cwd=bundle)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {row["file"]: row for row in rows}


def _test_images(stack: Stack, db: sessionmaker[Session], run: dict[str, Any],
                 predictions: dict[str, Any], into: Path) -> Path:
    with db() as session:
        dataset = session.get(Dataset, run["dataset_id"])
        assert dataset is not None
        root = stack.var_dir / "storage" / dataset.storage_path
    for item in predictions["items"]:
        target = into / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / item["path"], target)
    return into


@pytest.mark.slow
def test_bundles_reproduce_the_apps_test_predictions(
    client: httpx.Client, stack: Stack, db: sessionmaker[Session], tmp_path: Path
) -> None:
    run = _train(client, salt=7100)
    run_dir = stack.var_dir / "storage" / "runs" / str(run["id"])
    predictions = json.loads((run_dir / "predictions.json").read_text())
    expected = {item["path"]: item for item in predictions["items"]}
    assert len(expected) == run["split_summary"]["test"]["count"] > 0
    images = _test_images(stack, db, run, predictions, tmp_path / "images")

    listed = client.get("/api/models").json()
    version = next(m for m in listed["data"] if m["id"] == run["id"])
    assert version["classes"] == ["anger", "neutral", "stress"]
    assert version["input"] == {"height": 32, "width": 32, "channels": 3}
    assert {f["format"]: f["status"] for f in version["formats"]}["keras"] == "ready"
    assert client.get(f"/api/models/{run['id']}").json()["dataset_hash"] == version["dataset_hash"]

    keras_bundle = _download(client, run["id"], "keras", tmp_path / "keras")
    _check_documents(keras_bundle, version, run)
    got = _predict_with_bundle(keras_bundle, images)
    assert set(got) == set(expected)
    for path, item in expected.items():
        assert got[path]["class"] == item["predicted"], path
        np.testing.assert_allclose(got[path]["probabilities"], item["probabilities"], atol=1e-5)

    for fmt in ("onnx", "savedmodel"):
        bundle = _download(client, run["id"], fmt, tmp_path / fmt)
        assert (bundle / "labels.json").is_file() and (bundle / "model_card.md").is_file()
        got = _predict_with_bundle(bundle, images)
        assert {p: r["class"] for p, r in got.items()} == {
            p: i["predicted"] for p, i in expected.items()}, fmt
        for path, item in expected.items():
            np.testing.assert_allclose(got[path]["probabilities"], item["probabilities"],
                                       atol=1e-4)
    states = client.get(f"/api/models/{run['id']}").json()["formats"]
    assert all(state["status"] == "ready" for state in states)


def _check_documents(bundle: Path, version: dict[str, Any], run: dict[str, Any]) -> None:
    assert json.loads((bundle / "labels.json").read_text()) == version["classes"]
    preprocessing = json.loads((bundle / "preprocessing.json").read_text())
    assert preprocessing["input"]["height"] == 32 and preprocessing["value_range"] == [0, 255]
    assert preprocessing["resize"]["method"] == "bilinear"
    assert not (bundle / "recipe.json").exists()  # images uploaded as images
    card = json.loads((bundle / "model_card.json").read_text())
    assert card["dataset"]["content_hash"] == version["dataset_hash"]
    assert card["graph"]["content_hash"] == version["graph_hash"]
    assert card["metrics"]["source"] == "evaluation.json"
    assert len(card["metrics"]["accuracy"]["ci95"]) == 2
    assert card["hyperparameters"]["epochs"] == 3
    assert card["split"]["parts"]["test"]["count"] == run["split_summary"]["test"]["count"]
    assert card["leakage_audit"]["report"]["clean"] is False
    assert card["leakage_audit"]["override"] == OVERRIDE
    assert card["software"]["keras"] and card["software"]["python"]
    text = (bundle / "model_card.md").read_text()
    assert "95% CI" in text and version["dataset_hash"] in text
    assert "LEAKS FOUND" in text and OVERRIDE in text


def test_model_refusals(client: httpx.Client) -> None:
    missing = client.get("/api/models/987654")
    assert missing.status_code == 404 and "987654" in missing.json()["error"]["message"]
    assert client.get("/api/models/987654/download").status_code == 404

    dataset = upload_dataset(client, image_zip(per_class=4, size=32, salt=7200))
    graph = create_graph(client, small_cnn(32), name="bundle-refusals")
    run = client.post("/api/runs", json={
        "graph_version_id": graph.json()["latest_version"]["id"],
        "dataset_id": dataset.json()["id"],
        "hyperparameters": {"epochs": 50, "batch_size": 4},
    }).json()
    try:
        pending = client.get(f"/api/models/{run['id']}/download")
        assert pending.status_code == 409, pending.text
        assert "has no model yet" in pending.json()["error"]["message"]
        assert client.get(f"/api/models/{run['id']}").status_code == 409
        assert run["id"] not in [m["id"] for m in client.get("/api/models").json()["data"]]
        unknown = client.get(f"/api/models/{run['id']}/download", params={"format": "pickle"})
        assert unknown.status_code == 422
        message = unknown.json()["error"]["message"]
        assert all(name in message for name in ("keras", "savedmodel", "onnx"))
    finally:
        client.post(f"/api/runs/{run['id']}/cancel")
