"""Splits that do not lie, on real speech: EMO-DB recordings cut into 64x64 spectrogram
segments on the real worker, split by speaker, audited, and a small CNN trained on the
stored split. A random segment-level split of the same images is caught leaking."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from backend.models import RunEvent
from tests.e2e.test_audio_datasets import DATA, wait_for_conversion
from tests.helpers import create_graph, problem_map, upload_dataset, wait_for_run
from tests.worker.graphs import small_cnn

# Four of the six speakers keep the conversion and training short (~300 segments).
SPEAKERS = {"03", "08", "09", "10"}
RECIPE = {"width": 64, "height": 64}  # 1 s segments every 0.5 s: ~3 per 2 s recording
GROUPED = {"train": 60, "validation": 20, "test": 20, "group_by": "speaker", "seed": 1}
RANDOM = {"train": 60, "validation": 20, "test": 20, "seed": 1}


def emodb_subset() -> bytes:
    folder = DATA / "emodb-dev"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here (the shared speech data lives outside the repo)")
    with (folder / "labels.csv").open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["speaker"] in SPEAKERS]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in rows:
            archive.write(folder / row["path"], f"emodb/{row['path']}")
        lines = ["path,label,speaker", *(f"{r['path']},{r['label']},{r['speaker']}" for r in rows)]
        archive.writestr("emodb/labels.csv", "\n".join(lines) + "\n")
    return buffer.getvalue()


def spectrograms(client: httpx.Client) -> dict[str, Any]:
    audio = upload_dataset(client, emodb_subset(), filename="emodb-4-speakers.zip")
    assert audio.status_code in (200, 201), audio.text
    started = client.post(
        f"/api/datasets/{audio.json()['id']}/spectrograms",
        json={"recipe": RECIPE, "name": "emodb 64x64 segments"},
    )
    assert started.status_code == 201, started.text
    conversion = wait_for_conversion(client, started.json()["id"])
    assert conversion["status"] == "succeeded", conversion["error_message"]
    images: dict[str, Any] = client.get(f"/api/datasets/{conversion['result_dataset_id']}").json()
    assert images["num_items"] > conversion["report"]["recordings"]  # segments, not recordings
    return images


def preview(client: httpx.Client, dataset_id: int, split: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/splits/preview", json={"dataset_id": dataset_id, "split": split})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_speaker_grouped_split_is_clean_and_a_random_segment_split_leaks(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    images = spectrograms(client)

    grouped = preview(client, images["id"], GROUPED)
    assert grouped["audit"]["clean"], grouped["audit"]["leaks"]
    assert {"group:speaker", "source_recording:source", "near_duplicate"} <= set(
        grouped["audit"]["checked"]
    )
    parts = grouped["parts"]
    assert all(parts[p]["count"] > 0 for p in ("train", "validation", "test"))
    placed = [set(parts[p]["by_group"]) for p in ("train", "validation", "test")]
    assert sum(len(s) for s in placed) == len(SPEAKERS) == len(set.union(*placed))

    leaky = preview(client, images["id"], RANDOM)
    leaks = {leak["kind"]: leak for leak in leaky["audit"]["leaks"]}
    assert not leaky["audit"]["clean"]
    recording = leaks["source_recording"]
    assert recording["count"] > 10 and len(recording["examples"][0]["parts"]) >= 2
    assert leaks["group"]["column"] == "speaker" and leaks["group"]["count"] == len(SPEAKERS)

    graph = create_graph(client, small_cnn(64, 3, len(images["classes"])), name="emodb cnn")
    assert graph.status_code == 201, graph.text
    request = {
        "graph_version_id": graph.json()["latest_version"]["id"], "dataset_id": images["id"],
        "hyperparameters": {"epochs": 2, "batch_size": 16, "seed": 1,
                            "optimizer": {"type": "adam", "learning_rate": 0.001}},
    }  # fmt: skip
    refused = client.post("/api/runs", json={**request, "split": RANDOM})
    assert ("body", "split", "leaks", "source_recording") in problem_map(refused)

    created = client.post("/api/runs", json={**request, "split": GROUPED})
    assert created.status_code == 201, created.text
    run = wait_for_run(client, created.json()["id"], timeout=400)
    assert run["status"] == "succeeded", run["error_message"]
    assert run["epochs_completed"] == 2 and run["leakage_report"]["clean"]
    assert {"test_loss", "test_accuracy", "test_balanced_accuracy"} <= set(run["test_metrics"])
    counts = {p: s["count"] for p, s in run["split_summary"].items()}
    assert counts == {p: parts[p]["count"] for p in parts}
    query = select(RunEvent).where(RunEvent.run_id == run["id"], RunEvent.kind == "log")
    with db() as session:
        logs = [str(e.payload.get("message", "")) for e in session.scalars(query)]
    trained = f"training on {counts['train']} images, validating on {counts['validation']}"
    assert any(trained in line for line in logs), logs
    assert any(f"Test part ({counts['test']} images" in line for line in logs), logs


def test_the_subset_zip_is_real_emodb() -> None:
    with zipfile.ZipFile(io.BytesIO(emodb_subset())) as archive:
        names = [n for n in archive.namelist() if n.endswith(".wav")]
    assert {Path(n).name[:2] for n in names} == SPEAKERS
