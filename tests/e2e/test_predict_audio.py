"""The bar for predicting speech: a real EMO-DB recording sent to the API gets the same answer
as rendering it here with the dataset's stored recipe and predicting those images, segment by
segment, and the recording's answer is the mean over its segments."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.conftest import Stack
from tests.e2e.test_audio_datasets import DATA, wait_for_conversion
from tests.e2e.test_predict import TOLERANCE, as_vector, in_process, predict, train_tiny
from tests.helpers import upload_dataset

PER_CLASS = 3  # 9 two-second recordings: ~27 segments, a few seconds to convert and train
RECIPE = {"width": 64, "height": 64}  # 1 s segments every 0.5 s


def emodb_rows() -> list[dict[str, str]]:
    folder = DATA / "emodb-dev"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here (the shared speech data lives outside the repo)")
    with (folder / "labels.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def small_corpus(rows: list[dict[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in rows:
            archive.write(DATA / "emodb-dev" / row["path"], f"emodb/{row['path']}")
        lines = ["path,label,speaker", *(f"{r['path']},{r['label']},{r['speaker']}" for r in rows)]
        archive.writestr("emodb/labels.csv", "\n".join(lines) + "\n")
    return buffer.getvalue()


def audio_run(client: httpx.Client, rows: list[dict[str, str]]) -> tuple[dict[str, Any], Any]:
    audio = upload_dataset(client, small_corpus(rows), filename="emodb-predict.zip")
    assert audio.status_code in (200, 201), audio.text
    started = client.post(f"/api/datasets/{audio.json()['id']}/spectrograms",
                          json={"recipe": RECIPE, "name": "emodb for predict"})  # fmt: skip
    assert started.status_code == 201, started.text
    conversion = wait_for_conversion(client, started.json()["id"])
    assert conversion["status"] == "succeeded", conversion["error_message"]
    images = client.get(f"/api/datasets/{conversion['result_dataset_id']}").json()
    run = train_tiny(client, images["id"], 64, len(images["classes"]), "emodb predict cnn")
    return run, images["derivation"]["recipe"]


def test_a_wav_through_the_api_equals_its_rendered_images_predicted(
    client: httpx.Client, stack: Stack, tmp_path: Path
) -> None:
    from backend.audio_recipe import load_recipe
    from worker.audio.pipeline import render_recording

    rows = emodb_rows()
    training = [r for label in ("anger", "fear", "neutral")
                for r in [r for r in rows if r["label"] == label][:PER_CLASS]]  # fmt: skip
    run, recipe = audio_run(client, training)
    unseen = next(r for r in reversed(rows) if r["label"] == "anger")
    wav = DATA / "emodb-dev" / unseen["path"]

    response = predict(client, run["id"], wav.name, wav.read_bytes())
    assert response.status_code == 200, response.text
    body = response.json()
    classes = body["classes"]
    [answer] = body["predictions"]
    assert answer["kind"] == "audio" and answer["name"] == wav.name

    # Render it here with the stored recipe, as the conversion did, and predict the images.
    rendered = render_recording(wav, load_recipe(recipe), indexed=True)
    assert answer["segments"] == len(rendered.segments) == len(answer["per_segment"]) >= 2
    pngs = []
    for segment, image in zip(rendered.segments, rendered.images, strict=True):
        pngs.append(tmp_path / f"{wav.stem}_{segment.index:03d}.png")
        image.save(pngs[-1])
    for got, segment in zip(answer["per_segment"], rendered.segments, strict=True):
        assert abs(got["start_s"] - segment.start_s) < 1e-3
        assert abs(got["end_s"] - segment.end_s) < 1e-3
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for png in pngs:
            archive.write(png, png.name)
    as_images = predict(client, run["id"], "segments.zip", buffer.getvalue())
    assert as_images.status_code == 200, as_images.text
    image_answers = np.stack([as_vector(p, classes) for p in as_images.json()["predictions"]])
    per_segment = np.stack([as_vector(s, classes) for s in answer["per_segment"]])
    assert np.allclose(per_segment, image_answers, atol=TOLERANCE)
    assert np.allclose(as_vector(answer, classes), image_answers.mean(axis=0), atol=TOLERANCE)
    assert answer["predicted"] == classes[int(np.argmax(image_answers.mean(axis=0)))]
    # And both equal the stored model run in this process on those images.
    assert np.allclose(per_segment, in_process(stack, run, pngs), atol=TOLERANCE)

    # A zip of recordings: one recording-level row each.
    recordings = io.BytesIO()
    with zipfile.ZipFile(recordings, "w") as archive:
        archive.write(wav, f"speech/{wav.name}")
        archive.write(DATA / "emodb-dev" / rows[-1]["path"], "speech/other.wav")
    batch = predict(client, run["id"], "speech.zip", recordings.getvalue())
    assert batch.status_code == 200, batch.text
    first = batch.json()["predictions"][0]
    assert first["name"] == f"speech/{wav.name}" and first["segments"] == answer["segments"]
    assert np.allclose(as_vector(first, classes), as_vector(answer, classes), atol=TOLERANCE)

    # Grad-CAM on the segment that gave the predicted class most, with the recipe's axes.
    explained = predict(client, run["id"], wav.name, wav.read_bytes(), saliency="true")
    assert explained.status_code == 200, explained.text
    saliency = explained.json()["saliency"]
    assert explained.json()["predictions"] == body["predictions"]
    assert saliency["method"] == "grad-cam" and saliency["class_name"] == answer["predicted"]
    segment = answer["per_segment"][saliency["segment"]]
    best = max(s["probabilities"][answer["predicted"]] for s in answer["per_segment"])
    assert segment["probabilities"][answer["predicted"]] == best
    overlay = Image.open(io.BytesIO(base64.b64decode(saliency["png_base64"])))
    assert overlay.format == "PNG" and overlay.width >= 64
    time_axis, frequency = saliency["time_axis"], saliency["frequency_axis"]
    assert time_axis["label"] == "Time (s)"
    assert abs(time_axis["ticks"][0] - segment["start_s"]) < 1e-3
    assert frequency["label"].startswith("Frequency (Hz)") and "mel" in frequency["label"]
    sample_rate = recipe["sample_rate"]
    assert frequency["ticks"][0] == 0 < max(frequency["ticks"]) <= sample_rate / 2
    for axis in (time_axis, frequency):
        positions = axis["positions"]
        assert positions == sorted(positions) and positions[0] >= 0 and positions[-1] <= 1
