"""The foundation's thin slice over HTTP against the real worker: zip -> graph -> run ->
epoch metrics (DB + SSE) -> a .keras file that loads and predicts in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.models import RunMetric
from tests.conftest import Stack
from tests.helpers import queue_paper_run, wait_for_run
from tests.sse import read_events

PREDICT = """
import json, sys
import numpy as np
from PIL import Image
import keras
model = keras.saving.load_model(sys.argv[1], compile=False)
colours = [(220, 40, 40), (40, 200, 60), (40, 60, 220)]
batch = np.stack([np.asarray(Image.new("RGB", (32, 32), c), dtype="float32") for c in colours])
print(json.dumps(np.asarray(model.predict(batch, verbose=0)).tolist()))
"""


def test_the_slice_trains_streams_and_yields_a_loadable_model(
    client: httpx.Client, db: sessionmaker[Session], stack: Stack, tmp_path: Path
) -> None:
    run = queue_paper_run(client, epochs=2, salt=1000)
    assert run["status"] == "queued"
    assert run["hyperparameters"]["optimizer"]["type"] == "adadelta"

    events = list(read_events(client, f"/api/runs/{run['id']}/events"))
    statuses = [e.data["status"] for e in events if e.type == "status"]
    epochs = [e.data for e in events if e.type == "epoch"]
    assert statuses == ["queued", "running", "succeeded"], stack.log_tail()
    assert [e["epoch"] for e in epochs] == [1, 2]
    for epoch in epochs:
        assert set(epoch["metrics"]) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert [e.id for e in events] == sorted({e.id for e in events})  # no repeats, in order

    finished = wait_for_run(client, run["id"])
    assert finished["status"] == "succeeded" and finished["has_model"]
    assert finished["epochs_completed"] == 2 and finished["num_params"] > 20_000_000
    with db() as session:
        rows = session.scalars(select(RunMetric).where(RunMetric.run_id == run["id"])).all()
    assert {(m.key, m.step) for m in rows} >= {("val_accuracy", 1), ("val_accuracy", 2)}

    download = client.get(f"/api/runs/{run['id']}/model")
    assert download.status_code == 200
    model_path = tmp_path / "model.keras"
    model_path.write_bytes(download.content)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", PREDICT, str(model_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    probabilities = np.array(json.loads(result.stdout.strip().splitlines()[-1]))
    assert probabilities.shape == (3, 3)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)


def test_sse_resumes_after_a_disconnect_without_gaps_or_repeats(client: httpx.Client) -> None:
    run = queue_paper_run(client, epochs=3, salt=2000)
    path = f"/api/runs/{run['id']}/events"
    first = list(read_events(client, path, limit=2))  # queued + running (or an epoch)
    resumed = list(read_events(client, path, last_event_id=first[-1].id))
    everything = list(read_events(client, path))
    assert [e.id for e in first + resumed] == [e.id for e in everything]
    assert [e.data for e in first + resumed] == [e.data for e in everything]
    assert [e.data["epoch"] for e in everything if e.type == "epoch"] == [1, 2, 3]
    assert everything[-1].data["status"] == "succeeded"
