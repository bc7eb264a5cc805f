"""Predicting with a trained model over HTTP: the live stack's predict worker answers with the
same probabilities the model gives in-process on the same preprocessed image, keeps the model
loaded between calls, takes zips (CSV too), and refuses what it cannot predict, saying why."""

from __future__ import annotations

import csv
import io
import os
import signal
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.conftest import Stack
from tests.factories import CLASS_COLOURS, image_zip, png_bytes
from tests.helpers import create_graph, problem_map, upload_dataset, wait_for_run
from tests.worker.graphs import small_cnn

TOLERANCE = 1e-5


def train_tiny(
    client: httpx.Client, dataset_id: int, size: int, classes: int, name: str
) -> dict[str, Any]:
    graph = create_graph(client, small_cnn(size, 3, classes), name=name)
    assert graph.status_code == 201, graph.text
    created = client.post("/api/runs", json={
        "graph_version_id": graph.json()["latest_version"]["id"], "dataset_id": dataset_id,
        "hyperparameters": {"epochs": 1, "batch_size": 8, "seed": 3,
                            "optimizer": {"type": "adam", "learning_rate": 0.01}},
    })  # fmt: skip
    assert created.status_code == 201, created.text
    run = wait_for_run(client, created.json()["id"], timeout=300)
    assert run["status"] == "succeeded", run["error_message"]
    return run


def predict(
    client: httpx.Client, model_id: int, name: str, payload: bytes, **params: Any
) -> httpx.Response:
    return client.post(
        f"/api/models/{model_id}/predict", files={"file": (name, payload)}, params=params,
        timeout=120,
    )  # fmt: skip


def in_process(stack: Stack, run: dict[str, Any], images: list[Path]) -> np.ndarray:
    """The stored model on training's own preprocessing of the same files, in this process."""
    import keras

    from worker.training.data import Example, ImageShape, load_image

    stored = stack.var_dir / "storage" / "runs" / str(run["id"]) / "model.keras"
    model = keras.saving.load_model(stored, compile=False)
    _, height, width, channels = model.input_shape
    shape = ImageShape(height, width, channels)
    batch = np.stack([load_image(Example(p, p.name, 0), shape) for p in images])
    return np.asarray(keras.ops.convert_to_numpy(model(batch, training=False)), dtype=np.float64)


def as_vector(prediction: dict[str, Any], classes: list[str]) -> np.ndarray:
    return np.array([prediction["probabilities"][c] for c in classes])


@pytest.fixture(scope="module")
def image_run(stack: Stack) -> Iterator[dict[str, Any]]:
    with httpx.Client(base_url=stack.base_url, timeout=30) as client:
        dataset = upload_dataset(client, image_zip(per_class=4, size=32, salt=611))
        assert dataset.status_code in (200, 201), dataset.text
        yield train_tiny(client, dataset.json()["id"], 32, 3, "predict cnn")


def test_an_image_gets_the_models_own_probabilities_and_the_model_stays_loaded(
    client: httpx.Client, stack: Stack, image_run: dict[str, Any], tmp_path: Path
) -> None:
    # A JPEG of another size: the worker must convert and resize it as training did.
    image = Image.new("RGB", (48, 40), CLASS_COLOURS["stress"])
    image.paste(CLASS_COLOURS["anger"], (0, 0, 12, 12))
    path = tmp_path / "mixed.jpg"
    image.save(path, quality=90)

    first = predict(client, image_run["id"], "mixed.jpg", path.read_bytes())
    assert first.status_code == 200, first.text
    body = first.json()
    classes = body["classes"]
    assert body["model_id"] == image_run["id"] and classes == ["anger", "neutral", "stress"]
    [answer] = body["predictions"]
    assert answer["name"] == "mixed.jpg" and answer["kind"] == "image"
    expected = in_process(stack, image_run, [path])[0]
    assert np.allclose(as_vector(answer, classes), expected, atol=TOLERANCE)
    assert answer["predicted"] == classes[int(np.argmax(expected))]
    assert abs(sum(answer["probabilities"].values()) - 1) < 1e-4

    second = predict(client, image_run["id"], "mixed.jpg", path.read_bytes())
    assert second.status_code == 200, second.text
    assert second.json()["cached"] is True, "the second call loaded the model again"
    assert second.json()["predictions"] == body["predictions"]


def test_a_zip_is_predicted_file_by_file_and_as_csv(
    client: httpx.Client, stack: Stack, image_run: dict[str, Any], tmp_path: Path
) -> None:
    names = {"a/red.png": "anger", "b/green.png": "neutral", "blue.png": "stress"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, label in names.items():
            archive.writestr(name, png_bytes(CLASS_COLOURS[label], 32, seed=50))
            (tmp_path / Path(name).name).write_bytes(png_bytes(CLASS_COLOURS[label], 32, seed=50))
        archive.writestr("notes.txt", "not an image")
    response = predict(client, image_run["id"], "batch.zip", buffer.getvalue())
    assert response.status_code == 200, response.text
    body = response.json()
    assert [p["name"] for p in body["predictions"]] == list(names)
    assert body["skipped"] == [{"name": "notes.txt", "reason": "not an image or a recording"}]
    expected = in_process(stack, image_run, [tmp_path / Path(n).name for n in names])
    got = np.stack([as_vector(p, body["classes"]) for p in body["predictions"]])
    assert np.allclose(got, expected, atol=TOLERANCE)

    as_csv = predict(client, image_run["id"], "batch.zip", buffer.getvalue(), format="csv")
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["name"] for r in rows] == [*names, "notes.txt"]
    for row, prediction in zip(rows, body["predictions"], strict=False):
        assert row["predicted"] == prediction["predicted"]
        assert abs(float(row["p_anger"]) - prediction["probabilities"]["anger"]) < 1e-6


def test_what_cannot_be_predicted_is_refused_with_the_reason(
    client: httpx.Client, image_run: dict[str, Any]
) -> None:
    png = png_bytes(CLASS_COLOURS["anger"])
    missing = predict(client, 987654, "x.png", png)
    assert missing.status_code == 404 and "987654" in missing.json()["error"]["message"]

    text = predict(client, image_run["id"], "notes.txt", b"hello")
    assert "unsupported file type" in problem_map(text)[("file", "notes.txt")]

    wav = predict(client, image_run["id"], "speech.wav", b"RIFF0000WAVEfmt ")
    assert "not made from recordings" in problem_map(wav)[("file", "speech.wav")]

    broken = predict(client, image_run["id"], "broken.png", b"not really a png")
    assert ("file", "broken.png") in problem_map(broken)

    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.md", "nothing to predict")
    nothing = predict(client, image_run["id"], "e.zip", empty.getvalue())
    assert "no image or recording" in problem_map(nothing)[("file", "e.zip")]

    # A run with no model yet (cancelled while queued): 409.
    queued = client.post("/api/runs", json={
        "graph_version_id": image_run["graph_version_id"], "dataset_id": image_run["dataset_id"],
        "hyperparameters": {"epochs": 1, "batch_size": 8},
    })  # fmt: skip
    assert queued.status_code == 201, queued.text
    client.post(f"/api/runs/{queued.json()['id']}/cancel")
    unfinished = predict(client, queued.json()["id"], "x.png", png)
    assert unfinished.status_code == 409, unfinished.text
    assert "no model" in unfinished.json()["error"]["message"]


def test_no_predict_worker_is_a_503_that_says_what_to_run(
    client: httpx.Client, stack: Stack, image_run: dict[str, Any]
) -> None:
    import redis

    predictor = _child_with(stack.process.pid, "predictor")
    assert predictor is not None, "dlstudio serve started no predict worker"
    broker = _environ(predictor)["DLSTUDIO_BROKER_URL"]
    connection = redis.Redis.from_url(broker)
    os.kill(predictor, signal.SIGSTOP)  # its heartbeat stops with it
    try:
        for key in connection.scan_iter("dlstudio:predict-worker:*"):
            connection.delete(key)
        down = predict(client, image_run["id"], "x.png", png_bytes(CLASS_COLOURS["anger"]))
        assert down.status_code == 503, down.text
        assert "dlstudio predictor" in down.json()["error"]["message"]
    finally:
        os.kill(predictor, signal.SIGCONT)
        connection.close()
    # Back within a heartbeat, and it answers again.
    for _ in range(40):
        again = predict(client, image_run["id"], "x.png", png_bytes(CLASS_COLOURS["anger"]))
        if again.status_code != 503:
            break
        time.sleep(0.5)
    assert again.status_code == 200, again.text


def _child_with(parent: int, word: str) -> int | None:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and word in cmdline.split():
            return int(entry.name)
    return None


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)
