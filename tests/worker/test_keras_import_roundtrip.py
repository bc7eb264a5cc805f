""".keras import round trip: graph -> worker compiler -> model.save -> POST import -> the
same graph (positions aside), through the live stack."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.graph.backbones import BACKBONES
from backend.graph.validate import validate_graph
from tests.worker.test_codegen import backbone_graph, every_layer_kind, paper_graphs
from worker.compiler import compile_graph

MIN_SIZE = {"InceptionV3": 75, "Xception": 71}


def canonical(spec: dict[str, Any]) -> dict[str, Any]:
    """Nodes by id without positions, and each node's inputs in order (what Keras keeps)."""
    document = validate_graph(spec).spec.model_dump(mode="json")
    nodes = {n["id"]: {k: v for k, v in n.items() if k != "position"} for n in document["nodes"]}
    inputs: dict[str, list[str]] = defaultdict(list)
    for edge in document["edges"]:
        inputs[edge["target"]].append(edge["source"])
    return {"nodes": nodes, "inputs": dict(inputs)}


def saved(graph: dict[str, Any], path: Path, weights: bool = True) -> bytes:
    model = compile_graph(validate_graph(graph).spec)
    model.save(path)
    if weights:
        return path.read_bytes()
    # Import reads only config.json; big backbones travel without their weights.
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in ("config.json", "metadata.json"):
            target.writestr(name, source.read(name))
    return buffer.getvalue()


def import_file(client: httpx.Client, payload: bytes, filename: str, **form: str) -> Any:
    response = client.post("/api/graphs/import", files={"file": (filename, payload)}, data=form)
    assert response.status_code == 201, response.text
    return response.json()


def test_paper_topology_comes_back_as_saved(client: httpx.Client, tmp_path: Path) -> None:
    graph = paper_graphs()["paper-squeezenet"]
    imported = import_file(client, saved(graph, tmp_path / "paper.keras"), "paper.keras")
    assert imported["name"] == "paper"
    version = imported["latest_version"]
    assert version["message"] == (
        "Imported from paper.keras (architecture only; weights not imported)"
    )
    assert canonical(version["spec"]) == canonical(graph)
    # Laid out top to bottom in the order of the layers.
    ys = [node["position"]["y"] for node in version["spec"]["nodes"]]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)


def test_branching_graph_with_every_layer_kind_comes_back(
    client: httpx.Client, tmp_path: Path
) -> None:
    graph = every_layer_kind()
    imported = import_file(
        client, saved(graph, tmp_path / "branches.keras"), "branches.keras", name="Branches"
    )
    assert imported["name"] == "Branches"
    spec = imported["latest_version"]["spec"]
    assert canonical(spec) == canonical(graph)
    position = {node["id"]: node["position"] for node in spec["nodes"]}
    # The two branches sit side by side on one row, their join below both.
    assert position["conv-a"]["y"] == position["conv_b"]["y"] < position["add"]["y"]
    assert position["conv-a"]["x"] != position["conv_b"]["x"]


@pytest.mark.parametrize("trainable", ["all", "frozen"])
def test_every_backbone_comes_back_with_its_preprocessing_folded_in(
    client: httpx.Client, tmp_path: Path, trainable: str
) -> None:
    # Half of the architectures per run keeps this quick; between them all are covered.
    names = list(BACKBONES)[::2] if trainable == "all" else list(BACKBONES)[1::2]
    for index, architecture in enumerate(names):
        graph = backbone_graph(
            architecture,
            size=MIN_SIZE.get(architecture, 32),
            channels=1 + 2 * (index % 2),
            trainable=trainable,
        )
        payload = saved(graph, tmp_path / f"{architecture}.keras", weights=False)
        imported = import_file(client, payload, f"{architecture}.keras")
        assert canonical(imported["latest_version"]["spec"]) == canonical(graph), architecture


@pytest.mark.parametrize(("architecture", "blocks"), [("ResNet50", 2), ("InceptionV3", 3)])
def test_a_backbone_training_its_last_blocks_comes_back_with_the_count(
    client: httpx.Client, tmp_path: Path, architecture: str, blocks: int
) -> None:
    graph = backbone_graph(
        architecture, size=MIN_SIZE.get(architecture, 32), trainable="last_blocks",
        trainable_blocks=blocks,
    )  # fmt: skip
    payload = saved(graph, tmp_path / "partial.keras", weights=False)
    spec = import_file(client, payload, "partial.keras")["latest_version"]["spec"]
    assert canonical(spec) == canonical(graph)
    assert spec["nodes"][1]["params"]["trainable_blocks"] == blocks


def test_a_sequential_lstm_model_is_refused_naming_each_layer(
    client: httpx.Client, tmp_path: Path
) -> None:
    import keras

    model = keras.Sequential(
        [keras.Input((10, 4)), keras.layers.LSTM(8, name="lstm_3"),
         keras.layers.Embedding(5, 2, name="embed"), keras.layers.Dense(2, name="out")]
    )  # fmt: skip
    model.save(tmp_path / "speech.keras")
    response = client.post(
        "/api/graphs/import",
        files={"file": ("speech.keras", (tmp_path / "speech.keras").read_bytes())},
    )
    assert response.status_code == 422
    problems = {tuple(p["loc"]): p["message"] for p in response.json()["error"]["problems"]}
    assert problems[("file", "layers", "lstm_3")] == (
        "layer 'lstm_3' is an LSTM, which the canvas does not support"
    )
    assert problems[("file", "layers", "embed")] == (
        "layer 'embed' is an Embedding, which the canvas does not support"
    )
    assert ("file", "layers", "out") not in problems
