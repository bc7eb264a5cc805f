"""Resumable uploads: chunks at offsets, a resume after a wrong offset, then a dataset."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.models import Dataset
from tests.conftest import Stack
from tests.factories import image_zip
from tests.helpers import problem_map

CHUNK = {"Content-Type": "application/offset+octet-stream"}


def send(client: httpx.Client, upload_id: str, offset: int, data: bytes) -> httpx.Response:
    return client.patch(
        f"/api/uploads/{upload_id}", content=data, headers={**CHUNK, "Upload-Offset": str(offset)}
    )


def upload_in_chunks(client: httpx.Client, payload: bytes, chunk: int = 4096) -> str:
    created = client.post("/api/uploads", json={"filename": "emotion.zip", "size": len(payload)})
    assert created.status_code == 201, created.text
    upload_id = str(created.json()["id"])
    for start in range(0, len(payload), chunk):
        response = send(client, upload_id, start, payload[start : start + chunk])
        assert response.status_code == 200, response.text
        assert response.json()["offset"] == min(start + chunk, len(payload))
    return upload_id


def test_a_chunked_upload_resumes_at_the_servers_offset_and_becomes_a_dataset(
    client: httpx.Client, stack: Stack
) -> None:
    payload = image_zip(per_class=3, salt=8000)
    created = client.post("/api/uploads", json={"filename": "emotion.zip", "size": len(payload)})
    upload_id = created.json()["id"]
    half = len(payload) // 2
    assert send(client, upload_id, 0, payload[:half]).json()["offset"] == half
    # The client lost track (its connection dropped) and retries from the start:
    stale = send(client, upload_id, 0, payload[:half])
    assert stale.status_code == 409 and stale.headers["Upload-Offset"] == str(half)
    assert problem_map(stale, 409) == {("header", "Upload-Offset"): f"expected offset {half}"}
    assert client.get(f"/api/uploads/{upload_id}").json()["offset"] == half
    assert send(client, upload_id, half, payload[half:]).json()["offset"] == len(payload)

    stored = client.post("/api/datasets/from-upload", json={"upload_id": upload_id, "name": "up"})
    assert stored.status_code == 201, stored.text
    assert stored.json()["class_counts"] == {"anger": 3, "neutral": 3, "stress": 3}
    assert client.get(f"/api/uploads/{upload_id}").status_code == 404  # consumed
    assert list((stack.var_dir / "storage" / "uploads").glob(f"{upload_id}*")) == []


def test_a_failed_validation_keeps_the_upload_for_another_try(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    payload = image_zip(per_class=2, salt=8100, extra_rows=["emotion/anger/gone.png,anger"])
    upload_id = upload_in_chunks(client, payload)
    with db() as session:
        before = session.scalar(select(func.count()).select_from(Dataset))
    problems = problem_map(client.post("/api/datasets/from-upload", json={"upload_id": upload_id}))
    assert (
        problems[("csv", "labels.csv", "row", 8)]
        == "file 'emotion/anger/gone.png' is not in the zip"
    )
    assert client.get(f"/api/uploads/{upload_id}").json()["offset"] == len(payload)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Dataset)) == before
    assert client.delete(f"/api/uploads/{upload_id}").status_code == 204


def test_bad_upload_requests_are_refused_with_reasons(client: httpx.Client) -> None:
    too_big = client.post("/api/uploads", json={"filename": "x.zip", "size": 10**15})
    assert too_big.status_code == 413 and "DLSTUDIO_MAX_UPLOAD_BYTES" in too_big.text
    assert client.get("/api/uploads/" + "0" * 32).status_code == 404
    assert client.get("/api/uploads/../../etc").status_code == 404
    upload_id = client.post("/api/uploads", json={"filename": "x.zip", "size": 10}).json()["id"]
    wrong_type = client.patch(
        f"/api/uploads/{upload_id}",
        content=b"12345",
        headers={"Upload-Offset": "0", "Content-Type": "text/plain"},
    )
    assert problem_map(wrong_type)[("header", "Content-Type")].startswith("must be application")
    past_end = send(client, upload_id, 0, b"x" * 11)
    assert past_end.status_code == 422 and "past the declared size" in past_end.text
    assert client.get(f"/api/uploads/{upload_id}").json()["offset"] == 0
    assert send(client, upload_id, 0, b"x" * 4).status_code == 200
    unfinished = client.post("/api/datasets/from-upload", json={"upload_id": upload_id})
    assert unfinished.status_code == 409 and "incomplete: 4 of 10 bytes" in unfinished.text


def test_explore_groups_items_thumbnails_and_images(client: httpx.Client) -> None:
    rows = [
        f"emotion/{label}/{label}_{i:03d}.png,{label},{'03' if i % 2 else '08'}"
        for label in ("anger", "neutral", "stress")
        for i in range(4)
    ]
    payload = image_zip(per_class=4, size=200, salt=8200, with_csv=False)
    payload = _with_csv(payload, "path,label,speaker\n" + "\n".join(rows) + "\n")
    dataset = client.post("/api/datasets", files={"file": ("e.zip", payload)}).json()
    groups = client.get(f"/api/datasets/{dataset['id']}/groups").json()["columns"]
    assert groups == {
        "speaker": {
            "03": {"anger": 2, "neutral": 2, "stress": 2},
            "08": {"anger": 2, "neutral": 2, "stress": 2},
        }
    }
    page = client.get(
        f"/api/datasets/{dataset['id']}/items", params={"label": "neutral", "offset": 1, "limit": 2}
    ).json()
    assert page["count"] == 4 and [i["label"] for i in page["data"]] == ["neutral", "neutral"]
    item = page["data"][0]
    thumb = client.get(f"/api/datasets/{dataset['id']}/items/{item['id']}/thumbnail")
    with Image.open(io.BytesIO(thumb.content)) as image:
        assert image.format == "PNG" and max(image.size) == 128
    original = client.get(f"/api/datasets/{dataset['id']}/items/{item['id']}/image")
    with Image.open(io.BytesIO(original.content)) as image:
        assert image.size == (200, 200)
    missing = client.get(f"/api/datasets/{dataset['id']}/items/999999/thumbnail")
    assert missing.status_code == 404
    assert (
        client.get(f"/api/datasets/{dataset['id']}/items", params={"limit": 0}).status_code == 422
    )


def _with_csv(payload: bytes, text: str) -> bytes:
    import zipfile

    buffer = io.BytesIO(payload)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("labels.csv", text)
    return buffer.getvalue()


def test_a_dataset_downloads_in_the_papers_layout_with_its_csv(client: httpx.Client) -> None:
    import zipfile

    rows = "path,label,speaker\n" + "\n".join(
        f"emotion/{label}/{label}_{i:03d}.png,{label},0{i}"
        for label in ("anger", "neutral")
        for i in range(2)
    )
    payload = _with_csv(
        image_zip(per_class=2, classes=("anger", "neutral"), salt=8300, with_csv=False), rows + "\n"
    )
    dataset = client.post(
        "/api/datasets", files={"file": ("e.zip", payload)}, data={"name": "my set"}
    ).json()
    download = client.get(f"/api/datasets/{dataset['id']}/download")
    assert download.status_code == 200
    assert "my%20set.zip" in download.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = set(archive.namelist())
        table = archive.read("my set/labels.csv").decode()
    assert "my set/anger/anger_000.png" in names and len(names) == 5
    assert table.splitlines()[0] == "path,label,speaker"
    assert "anger/anger_001.png,anger,01" in table
    assert client.get("/api/datasets/999999/download").status_code == 404
