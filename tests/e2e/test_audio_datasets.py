"""Real speech in, spectrogram images out: the shared RAVDESS and EMO-DB copies, zipped by the
test (never copied into the repo), imported with speakers, converted on the real worker."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import image_zip
from tests.helpers import problem_map, upload_dataset

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SMALL_RECIPE = {"segment": {"length_s": None, "min_length_s": 0.1}, "width": 96, "height": 64}


def corpus_zip(folder: Path, with_csv: bool) -> bytes:
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here (the shared speech data lives outside the repo)")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and (with_csv or path.suffix != ".csv"):
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def source_counts(folder: Path) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    with (folder / "labels.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Counter(r["label"] for r in rows), Counter((r["speaker"], r["label"]) for r in rows)


def speaker_mix(client: httpx.Client, dataset_id: int) -> Counter[tuple[str, str]]:
    columns = client.get(f"/api/datasets/{dataset_id}/groups").json()["columns"]
    return Counter(
        {
            (speaker, label): n
            for speaker, mix in columns["speaker"].items()
            for label, n in mix.items()
        }
    )


def test_emodb_with_its_csv_becomes_an_audio_dataset_and_then_spectrograms(
    client: httpx.Client,
) -> None:
    folder = DATA / "emodb-dev"
    response = upload_dataset(client, corpus_zip(folder, with_csv=True), filename="emodb.zip")
    # 200: another test of this session stored the same zip first (recognised by hash).
    assert response.status_code in (200, 201), response.text
    audio = response.json()
    classes, speakers = source_counts(folder)
    assert audio["kind"] == "audio" and audio["class_counts"] == dict(classes)
    assert audio["class_counts"] == {"anger": 72, "fear": 35, "neutral": 47}
    assert audio["report"]["audio"]["sample_rates"] == {"22050 Hz": 154}
    assert speaker_mix(client, audio["id"]) == speakers

    started = client.post(
        f"/api/datasets/{audio['id']}/spectrograms",
        json={"recipe": SMALL_RECIPE, "name": "emodb mel"},
    )
    assert started.status_code == 201, started.text
    conversion = wait_for_conversion(client, started.json()["id"])
    assert conversion["status"] == "succeeded", conversion["error_message"]
    images = client.get(f"/api/datasets/{conversion['result_dataset_id']}").json()
    # Whole-utterance segments: one image per recording, each still knowing its speaker.
    assert images["kind"] == "image" and images["class_counts"] == dict(classes)
    assert images["parent_id"] == audio["id"]
    assert images["derivation"]["recipe"]["width"] == 96
    assert speaker_mix(client, images["id"]) == speakers
    item = client.get(f"/api/datasets/{images['id']}/items", params={"limit": 1}).json()["data"][0]
    assert {"speaker", "recording", "start_s", "end_s"} <= set(item["extra"])


def test_ravdess_names_alone_give_labels_and_speakers(client: httpx.Client) -> None:
    folder = DATA / "ravdess-dev"
    response = upload_dataset(client, corpus_zip(folder, with_csv=False), filename="ravdess.zip")
    # 200: another test of this session stored the same zip first (recognised by hash).
    assert response.status_code in (200, 201), response.text
    body = response.json()
    classes, speakers = source_counts(folder)
    assert body["report"]["source"] == "corpus:ravdess"
    assert body["class_counts"] == dict(classes) == {"anger": 96, "fear": 96, "neutral": 48}
    assert speaker_mix(client, body["id"]) == Counter(
        {(s.zfill(2), label): n for (s, label), n in speakers.items()}
    )


def test_bad_conversion_requests_are_refused(client: httpx.Client) -> None:
    images = upload_dataset(client, image_zip(per_class=2, salt=9500)).json()
    refused = client.post(f"/api/datasets/{images['id']}/spectrograms", json={})
    assert refused.status_code == 422 and "only audio datasets" in refused.text
    audio = upload_dataset(client, corpus_zip(DATA / "emodb-dev", with_csv=True)).json()
    bad = client.post(
        f"/api/datasets/{audio['id']}/spectrograms",
        json={"recipe": {"n_mels": 5000, "stft": {"hop_length": 9999}}},
    )
    problems = problem_map(bad)
    assert any(loc[:2] == ("recipe", "stft") for loc in problems), problems
    assert client.get("/api/conversions/999999").status_code == 404
    run = client.post("/api/runs", json={"graph_version_id": 1, "dataset_id": audio["id"]})
    assert "convert it to spectrogram images first" in problem_map(run)[("body", "dataset_id")]


def wait_for_conversion(client: httpx.Client, conversion_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/conversions/{conversion_id}").json()
        if body["status"] in ("succeeded", "failed"):
            return body
        time.sleep(0.5)
    raise TimeoutError(f"conversion {conversion_id} did not finish")
