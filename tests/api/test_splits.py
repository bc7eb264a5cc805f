"""Split preview and split-aware run creation over HTTP, against the live stack."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx
import numpy as np
from PIL import Image

from tests.helpers import create_graph, problem_map, upload_dataset
from tests.worker.graphs import small_cnn

CLASSES = ("anger", "fear", "neutral")
SPEAKERS = ("03", "08", "09", "10", "11", "12")


def png(seed: int, size: int = 32) -> bytes:
    """Distinct smooth images: no two are near-duplicates, so only groups can leak."""
    coarse = np.random.default_rng(seed).integers(0, 256, (6, 6, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(coarse).resize((size, size), Image.Resampling.BICUBIC).save(buffer, "PNG")
    return buffer.getvalue()


def speaker_zip(salt: int, per_speaker_and_class: int = 2, fixed_test: bool = False) -> bytes:
    buffer = io.BytesIO()
    rows: dict[str, list[str]] = {"train": [], "test": []}
    with zipfile.ZipFile(buffer, "w") as archive:
        for s, speaker in enumerate(SPEAKERS):
            for c, label in enumerate(CLASSES):
                for n in range(per_speaker_and_class):
                    name = f"voices/{label}/{speaker}_{n}.png"
                    archive.writestr(name, png(salt + s * 100 + c * 10 + n))
                    part = "test" if fixed_test and speaker == "12" else "train"
                    rows[part].append(f"{name},{label},{speaker}")
        tables = rows if fixed_test else {"labels": rows["train"]}
        for table, lines in tables.items():
            archive.writestr(f"{table}.csv", "\n".join(["path,label,speaker", *lines]) + "\n")
    return buffer.getvalue()


def dataset_id(client: httpx.Client, payload: bytes) -> int:
    response = upload_dataset(client, payload)
    assert response.status_code in (200, 201), response.text
    return int(response.json()["id"])


def preview(client: httpx.Client, dataset: int, **split: Any) -> httpx.Response:
    return client.post("/api/splits/preview", json={"dataset_id": dataset, "split": split})


def test_a_speaker_grouped_preview_keeps_each_speaker_in_one_part(client: httpx.Client) -> None:
    dataset = dataset_id(client, speaker_zip(salt=51_000))
    response = preview(client, dataset, train=60, validation=20, test=20, group_by="speaker")
    assert response.status_code == 200, response.text
    body = response.json()
    parts = body["parts"]
    assert sum(p["count"] for p in parts.values()) == 36
    speakers = [set(parts[p]["by_group"]) for p in ("train", "validation", "test")]
    assert all(speakers) and set.union(*speakers) == set(SPEAKERS)
    assert sum(len(s) for s in speakers) == len(SPEAKERS)  # none in two parts
    assert parts["train"]["by_class"] == dict.fromkeys(CLASSES, 8)
    assert body["audit"]["clean"] and body["audit"]["leaks"] == []
    assert "group:speaker" in body["audit"]["checked"] and body["warnings"] == []


def test_an_ungrouped_preview_shows_the_speaker_leak_with_examples(client: httpx.Client) -> None:
    dataset = dataset_id(client, speaker_zip(salt=52_000))
    body = preview(client, dataset, train=60, validation=20, test=20, seed=3).json()
    assert not body["audit"]["clean"]
    (leak,) = body["audit"]["leaks"]
    assert leak["kind"] == "group" and leak["column"] == "speaker" and leak["count"] >= 1
    example = leak["examples"][0]
    assert example["value"] in SPEAKERS and len(example["parts"]) >= 2
    assert [p["count"] for p in body["parts"].values()] == [24, 6, 6]


def test_a_fixed_test_csv_is_the_test_part(client: httpx.Client) -> None:
    dataset = dataset_id(client, speaker_zip(salt=53_000, fixed_test=True))
    body = preview(client, dataset, method="fixed_test", train=75, validation=25, test=0,
                   group_by="speaker").json()  # fmt: skip
    assert body["parts"]["test"]["by_group"] == {"12": 6}
    assert body["parts"]["train"]["count"] + body["parts"]["validation"]["count"] == 30


def test_bad_split_requests_say_what_is_wrong(client: httpx.Client) -> None:
    dataset = dataset_id(client, speaker_zip(salt=54_000))
    problems = problem_map(preview(client, dataset, group_by="actor"))
    message = problems[("body", "split", "group_by")]
    assert "'actor' is not a metadata column" in message and "speaker" in message
    problems = problem_map(preview(client, dataset, train=60, validation=20, test=30))
    assert "must be 100" in problems[("body", "split")] and "110" in problems[("body", "split")]
    problems = problem_map(preview(client, dataset, method="fixed_test"))
    assert "no fixed test split" in problems[("body", "split", "method")]
    missing = preview(client, 999_999)
    assert missing.status_code == 404 and "Dataset 999999" in missing.text
    assert client.post("/api/splits/preview", json={"split": {}}).status_code == 422


def create_run(client: httpx.Client, dataset: int, **extra: Any) -> httpx.Response:
    graph = create_graph(client, small_cnn(32, 3, 3), name="split cnn")
    assert graph.status_code == 201, graph.text
    return client.post("/api/runs", json={
        "graph_version_id": graph.json()["latest_version"]["id"], "dataset_id": dataset,
        "hyperparameters": {"epochs": 1, "batch_size": 8, "optimizer": {"type": "adam"}},
        **extra,
    })  # fmt: skip


def test_a_leaking_split_needs_a_recorded_reason_to_start(client: httpx.Client) -> None:
    dataset = dataset_id(client, speaker_zip(salt=55_000))
    split = {"train": 60, "validation": 20, "test": 20, "seed": 3}
    refused = create_run(client, dataset, split=split)
    problems = problem_map(refused)
    assert refused.json()["error"]["code"] == "split_leaks"
    assert "speaker" in problems[("body", "split", "leaks", "group")]
    assert "leakage_override" in refused.json()["error"]["message"]

    reason = "speaker-dependent baseline, as in the paper"
    started = create_run(client, dataset, split=split, leakage_override=reason)
    assert started.status_code == 201, started.text
    run = started.json()
    assert run["leakage_override"] == reason
    assert run["leakage_report"]["leaks"][0]["kind"] == "group"
    assert run["split"]["test"] == 20
    assert {p: s["count"] for p, s in run["split_summary"].items()} == {
        "train": 24, "validation": 6, "test": 6
    }  # fmt: skip
    assert client.get(f"/api/runs/{run['id']}").json()["leakage_override"] == reason


def test_a_clean_grouped_split_starts_and_a_split_free_request_still_does(
    client: httpx.Client,
) -> None:
    dataset = dataset_id(client, speaker_zip(salt=56_000))
    grouped = {"train": 60, "validation": 20, "test": 20, "group_by": "speaker"}
    run = create_run(client, dataset, split=grouped)
    assert run.status_code == 201, run.text
    assert run.json()["leakage_report"]["clean"] and run.json()["leakage_override"] is None
    legacy = create_run(client, dataset)  # clients from before splits: audited, not blocked
    assert legacy.status_code == 201, legacy.text
    body = legacy.json()
    assert body["split"]["validation"] == 20 and body["split"]["test"] == 0
    assert body["leakage_report"]["leaks"][0]["column"] == "speaker"
    bad = create_run(client, dataset, split={**grouped, "group_by": "session"})
    assert "'session' is not a metadata column" in problem_map(bad)[("body", "split", "group_by")]
