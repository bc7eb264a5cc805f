"""Uploaded weights files: stored once by content, referenced by a Backbone's weights_file."""

from __future__ import annotations

import io
import uuid
from typing import Any

import h5py
import httpx
import numpy as np

from tests.factories import paper_graph
from tests.helpers import create_graph, problem_map

WEIGHTS_FILE_LOC = ("graph", "nodes", "backbone", "params", "weights_file")


def hdf5_bytes() -> bytes:
    """A small, unique HDF5 file: upload only reads its signature; the worker reads the rest."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_dataset("salt", data=np.frombuffer(uuid.uuid4().bytes, dtype="uint8"))
    return buffer.getvalue()


def upload(
    client: httpx.Client, payload: bytes, filename: str, architecture: str | None = None
) -> httpx.Response:
    data = {"architecture": architecture} if architecture else None
    return client.post(
        "/api/weights",
        files={"file": (filename, payload, "application/octet-stream")},
        data=data,
    )


def file_graph(sha256: str, architecture: str = "MobileNetV2") -> dict[str, Any]:
    graph = paper_graph(3, architecture=architecture)
    backbone = next(n for n in graph["nodes"] if n["id"] == "backbone")
    backbone["params"].update(weights="file", weights_file=sha256)
    return graph


def test_upload_once_reupload_gives_the_same_record(client: httpx.Client) -> None:
    payload = hdf5_bytes()
    first = upload(client, payload, "mobilenet.weights.h5", "MobileNetV2")
    assert first.status_code == 201, first.text
    record = first.json()
    assert record["size"] == len(payload) and record["format"] == "keras"
    assert record["architecture"] == "MobileNetV2" and len(record["sha256"]) == 64
    again = upload(client, payload, "renamed.weights.h5")
    assert again.status_code == 200 and again.json() == record
    assert client.get(f"/api/weights/{record['id']}").json() == record
    listed = client.get("/api/weights").json()
    assert record in listed["data"] and listed["count"] == len(listed["data"])


def test_the_bytes_are_stored_once_under_their_hash(client: httpx.Client, stack: Any) -> None:
    payload = hdf5_bytes()
    sha = upload(client, payload, "a.weights.h5").json()["sha256"]
    upload(client, payload, "b.weights.h5")
    stored = list(stack.var_dir.glob(f"storage/weights/{sha}*"))
    assert [p.read_bytes() for p in stored] == [payload]
    assert not list(stack.var_dir.glob("storage/tmp/weights-*"))


def test_a_graph_version_can_use_an_uploaded_file(client: httpx.Client) -> None:
    sha = upload(client, hdf5_bytes(), "mobilenet.weights.h5").json()["sha256"]
    created = create_graph(client, file_graph(sha))
    assert created.status_code == 201, created.text
    params = created.json()["latest_version"]["spec"]["nodes"][1]["params"]
    assert params["weights"] == "file" and params["weights_file"] == sha
    version = client.post(
        f"/api/graphs/{created.json()['id']}/versions", json={"graph": file_graph(sha)}
    )
    assert version.status_code == 201, version.text


def test_an_unknown_hash_is_refused_on_the_node(client: httpx.Client) -> None:
    problems = problem_map(create_graph(client, file_graph("0" * 64)))
    assert "no uploaded weights file has the sha256" in problems[WEIGHTS_FILE_LOC]


def test_weights_file_goes_with_weights_file_only(client: httpx.Client) -> None:
    graph = file_graph("0" * 64)
    graph["nodes"][1]["params"]["weights"] = "none"
    problems = problem_map(create_graph(client, graph))
    assert "only used with weights 'file'" in problems[WEIGHTS_FILE_LOC]
    graph["nodes"][1]["params"].update(weights="file", weights_file=None)
    assert "needs weights_file" in problem_map(create_graph(client, graph))[WEIGHTS_FILE_LOC]


def test_a_file_uploaded_for_another_architecture_is_refused(client: httpx.Client) -> None:
    sha = upload(client, hdf5_bytes(), "r50.weights.h5", "ResNet50").json()["sha256"]
    problems = problem_map(create_graph(client, file_graph(sha, "MobileNetV2")))
    assert "uploaded for ResNet50, not MobileNetV2" in problems[WEIGHTS_FILE_LOC]


def test_a_torchvision_state_dict_only_fits_torchvision_layouts(client: httpx.Client) -> None:
    # torch.save writes a zip; only the signature matters to the upload.
    payload = b"PK\x03\x04" + uuid.uuid4().bytes
    record = upload(client, payload, "squeezenet1_1.pth")
    assert record.status_code == 201 and record.json()["format"] == "torchvision"
    problems = problem_map(create_graph(client, file_graph(record.json()["sha256"], "VGG16")))
    assert "torchvision state dict" in problems[WEIGHTS_FILE_LOC]
    refused = problem_map(upload(client, payload, "wrn.pth", "ResNet50"))
    assert "SqueezeNet11 or WideResNet50_2" in refused[("body", "architecture")]


def test_bad_uploads_are_refused_and_nothing_is_stored(client: httpx.Client) -> None:
    before = client.get("/api/weights").json()["count"]
    empty = problem_map(upload(client, b"", "empty.weights.h5"))
    assert "is empty" in empty[("body", "file")]
    extension = problem_map(upload(client, hdf5_bytes(), "model.h5"))
    assert ".weights.h5" in extension[("body", "file")]
    not_hdf5 = problem_map(upload(client, b"just text, not HDF5", "fake.weights.h5"))
    assert "not an HDF5 file" in not_hdf5[("body", "file")]
    not_torch = problem_map(upload(client, hdf5_bytes(), "fake.pth"))
    assert "not a torch.save file" in not_torch[("body", "file")]
    unknown = problem_map(upload(client, hdf5_bytes(), "x.weights.h5", "ResNet9000"))
    assert "not a backbone" in unknown[("body", "architecture")]
    assert client.get("/api/weights").json()["count"] == before
    assert client.get("/api/weights/999999").status_code == 404
