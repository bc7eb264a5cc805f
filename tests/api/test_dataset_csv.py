"""CSVs as researchers write them: other delimiters, encodings, line ends, column names."""

from __future__ import annotations

import io
import zipfile

import httpx

from tests.factories import png_bytes
from tests.helpers import problem_map, upload_dataset


def zip_with_csv(csv_name: str, csv_bytes: bytes, images: dict[str, tuple[int, int, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for seed, (name, colour) in enumerate(images.items()):
            archive.writestr(name, png_bytes(colour, 16, seed=seed + 9000))
        archive.writestr(csv_name, csv_bytes)
    return buffer.getvalue()


IMAGES = {
    "daten/wut/a.png": (200, 0, 0),
    "daten/wut/b.png": (210, 0, 0),
    "daten/neutral/c.png": (0, 200, 0),
    "daten/neutral/d.png": (0, 210, 0),
}


def test_semicolons_latin1_crlf_quotes_and_extra_columns(client: httpx.Client) -> None:
    text = (
        "Datei;Emotion;Sprecher;Notiz\r\n"
        'wut/a.png;"Ärger";03;"laut; sehr"\r\n'
        'wut/b.png;"Ärger";08;\r\n'
        'neutral/c.png;neutral;03;"ruhig"\r\n'
        'neutral/d.png;neutral;08;""\r\n'
    )
    payload = zip_with_csv("daten/liste.csv", text.encode("latin-1"), IMAGES)
    response = upload_dataset(client, payload, name="emodb-like")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["class_counts"] == {"neutral": 2, "Ärger": 2}
    assert body["report"]["columns"] == {"path": "Datei", "label": "Emotion"}
    items = {i["path"]: i for i in client.get(f"/api/datasets/{body['id']}/items").json()["data"]}
    assert items["daten/wut/a.png"]["extra"] == {"Sprecher": "03", "Notiz": "laut; sehr"}


def test_train_and_test_csvs_mark_a_fixed_test_split(client: httpx.Client) -> None:
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w") as archive:
        for seed, (name, colour) in enumerate(IMAGES.items()):
            archive.writestr(name, png_bytes(colour, 16, seed=seed + 9100))
        archive.writestr(
            "train.csv", "image,label\ndaten/wut/a.png,wut\ndaten/neutral/c.png,neutral\n"
        )
        archive.writestr(
            "test.csv", "image,label\ndaten/wut/b.png,wut\ndaten/neutral/d.png,neutral\n"
        )
    response = upload_dataset(client, payload.getvalue())
    assert response.status_code == 201, response.text
    items = client.get(f"/api/datasets/{response.json()['id']}/items").json()["data"]
    splits = {i["path"]: i["extra"].get("split") for i in items}
    assert splits == {
        "daten/wut/a.png": "train",
        "daten/neutral/c.png": "train",
        "daten/wut/b.png": "test",
        "daten/neutral/d.png": "test",
    }


def test_columns_can_be_named_and_a_wrong_name_is_explained(client: httpx.Client) -> None:
    text = "file,emotion,mood\nwut/a.png,anger,x\nwut/b.png,anger,y\nneutral/c.png,neutral,x\n"
    text += "neutral/d.png,neutral,y\n"
    payload = zip_with_csv("daten/labels.csv", text.encode(), IMAGES)
    chosen = client.post(
        "/api/datasets", files={"file": ("a.zip", payload)}, data={"label_column": "mood"}
    )
    assert chosen.status_code == 201, chosen.text
    assert chosen.json()["class_counts"] == {"x": 2, "y": 2}
    payload = zip_with_csv("daten/labels.csv", (text + "\n").encode(), IMAGES)
    wrong = client.post(
        "/api/datasets", files={"file": ("b.zip", payload)}, data={"path_column": "filename"}
    )
    problems = problem_map(wrong)
    assert "'filename' is not a column of daten/labels.csv" in problems[("form", "path_column")]
    assert "['file', 'emotion', 'mood']" in problems[("form", "path_column")]
