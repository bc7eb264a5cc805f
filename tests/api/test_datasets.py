from __future__ import annotations

import io
import zipfile

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.models import Dataset
from tests.conftest import Stack
from tests.factories import image_zip, png_bytes
from tests.helpers import upload_dataset


def dataset_count(db: sessionmaker[Session]) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(Dataset)) or 0


def zip_of(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def problems(response: httpx.Response) -> list[dict[str, object]]:
    body = response.json()
    assert set(body) == {"error"}, body
    return list(body["error"]["problems"])


def test_upload_stores_class_counts_and_recognises_the_same_zip(client: httpx.Client) -> None:
    payload = image_zip(per_class=4, salt=100)
    first = upload_dataset(client, payload, name="emotions")
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["class_counts"] == {"anger": 4, "neutral": 4, "stress": 4}
    assert body["classes"] == ["anger", "neutral", "stress"]
    assert body["num_items"] == 12 and body["name"] == "emotions"
    again = upload_dataset(client, payload)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    items = client.get(f"/api/datasets/{body['id']}/items").json()["data"]
    assert {item["label"] for item in items} == {"anger", "neutral", "stress"}


def test_class_folders_without_csv_are_labelled_by_folder(client: httpx.Client) -> None:
    response = upload_dataset(client, image_zip(per_class=2, with_csv=False, salt=200))
    assert response.status_code == 201, response.text
    assert response.json()["class_counts"] == {"anger": 2, "neutral": 2, "stress": 2}


def test_not_a_zip_is_refused_and_nothing_is_stored(
    client: httpx.Client, db: sessionmaker[Session], stack: Stack
) -> None:
    before = dataset_count(db)
    response = upload_dataset(client, b"these are not the bytes of a zip", filename="notes.txt")
    assert response.status_code == 422
    assert "'notes.txt' is not a zip archive" in response.json()["error"]["message"]
    assert dataset_count(db) == before
    leftovers = list((stack.var_dir / "storage" / "tmp").glob("*"))
    assert leftovers == []


def test_every_csv_problem_is_reported_with_its_row(
    client: httpx.Client, db: sessionmaker[Session]
) -> None:
    before = dataset_count(db)
    payload = image_zip(
        per_class=2,
        salt=300,
        extra_rows=[
            "emotion/anger/missing.png,anger",
            "emotion/neutral/neutral_000.png,",
        ],
    )
    response = upload_dataset(client, payload)
    assert response.status_code == 422
    found = {(tuple(p["loc"]), p["message"]) for p in problems(response)}  # type: ignore[arg-type]
    assert (
        ("csv", "labels.csv", "row", 8),
        "file 'emotion/anger/missing.png' is not in the zip",
    ) in found
    assert any(loc == ("csv", "labels.csv", "row", 9) and "empty" in msg for loc, msg in found)
    assert dataset_count(db) == before


def test_hostile_members_are_refused_and_nothing_is_written_outside(
    client: httpx.Client, stack: Stack
) -> None:
    payload = zip_of(
        {
            "emotion/anger/a.png": png_bytes((200, 0, 0)),
            "../../escaped.png": png_bytes((0, 0, 200)),
            "inner.zip": b"PK",
        }
    )
    response = upload_dataset(client, payload)
    assert response.status_code == 422
    locs = {tuple(p["loc"]) for p in problems(response)}  # type: ignore[arg-type]
    assert ("file", "../../escaped.png") in locs and ("file", "inner.zip") in locs
    assert not list(stack.var_dir.parent.glob("**/escaped.png"))


def test_unreadable_image_and_single_class_are_reported_together(client: httpx.Client) -> None:
    good = png_bytes((10, 10, 10))
    payload = zip_of(
        {
            "data/anger/ok.png": good,
            "data/anger/broken.png": good[: len(good) // 2],
        }
    )
    response = upload_dataset(client, payload)
    assert response.status_code == 422
    messages = {tuple(p["loc"]): p["message"] for p in problems(response)}  # type: ignore[misc]
    assert "not a readable image" in str(messages[("file", "data/anger/broken.png")])
    assert "at least two classes" in str(messages[("labels",)])


def test_missing_dataset_is_404(client: httpx.Client) -> None:
    response = client.get("/api/datasets/999999")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Dataset 999999 does not exist"


def test_upload_without_a_file_names_the_field(client: httpx.Client) -> None:
    response = client.post("/api/datasets", data={"name": "x"})
    assert response.status_code == 422
    assert ["body", "file"] in [p["loc"] for p in problems(response)]


def test_relabel_makes_a_new_version_and_keeps_the_original(client: httpx.Client) -> None:
    original = upload_dataset(client, image_zip(per_class=2, salt=110)).json()
    mapping = {"anger": "high arousal", "stress": "high arousal"}
    response = client.post(
        f"/api/datasets/{original['id']}/relabel", json={"mapping": mapping, "name": "arousal"}
    )
    assert response.status_code == 201, response.text
    derived = response.json()
    assert derived["class_counts"] == {"high arousal": 4, "neutral": 2}
    assert derived["parent_id"] == original["id"]
    assert derived["derivation"] == {"type": "relabel", "mapping": mapping}
    assert client.get(f"/api/datasets/{original['id']}").json()["class_counts"] == {
        "anger": 2,
        "neutral": 2,
        "stress": 2,
    }
    again = client.post(f"/api/datasets/{original['id']}/relabel", json={"mapping": mapping})
    assert again.status_code == 200 and again.json()["id"] == derived["id"]
    dropped = client.post(
        f"/api/datasets/{original['id']}/relabel", json={"mapping": {"stress": None}}
    ).json()
    assert dropped["class_counts"] == {"anger": 2, "neutral": 2}
    item = client.get(f"/api/datasets/{dropped['id']}/items", params={"limit": 1}).json()["data"][0]
    thumbnail = client.get(f"/api/datasets/{dropped['id']}/items/{item['id']}/thumbnail")
    assert thumbnail.status_code == 200  # the shared files are found through the new version


def test_relabel_explains_unknown_classes_and_too_few_left(client: httpx.Client) -> None:
    original = upload_dataset(client, image_zip(per_class=2, salt=120)).json()
    unknown = client.post(
        f"/api/datasets/{original['id']}/relabel",
        json={"mapping": {"fear": "stress", "anger": " "}},
    )
    problems = {tuple(p["loc"]): p["message"] for p in unknown.json()["error"]["problems"]}
    assert unknown.status_code == 422
    assert "'fear' is not a class" in problems[("body", "mapping", "fear")]
    assert "empty" in problems[("body", "mapping", "anger")]
    single = client.post(
        f"/api/datasets/{original['id']}/relabel", json={"mapping": {"anger": None, "stress": None}}
    )
    assert "leaves 1 class(es)" in single.json()["error"]["problems"][0]["message"]
    assert (
        client.post("/api/datasets/999999/relabel", json={"mapping": {"a": "b"}}).status_code == 404
    )
