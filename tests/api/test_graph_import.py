""".keras import: what a user gets for files that are not importable models.

The files are written by hand here (a .keras file is a zip with config.json); the round
trip through Keras itself is tests/worker/test_keras_import_roundtrip.py.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import httpx


def keras_zip(config: Any | None, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if config is not None:
            archive.writestr("config.json", json.dumps(config))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tensor(name: str) -> dict[str, Any]:
    return {"class_name": "__keras_tensor__", "config": {"keras_history": [name, 0, 0]}}


def layer(name: str, class_name: str, sources: list[str], calls: int = 1, **config: Any) -> Any:
    args: Any = [tensor(s) for s in sources]
    args = [args] if len(args) > 1 else args
    nodes = [{"args": args, "kwargs": {}}] * calls if sources else []
    return {"class_name": class_name, "name": name, "config": {"name": name, **config},
            "inbound_nodes": nodes}  # fmt: skip


def functional(*layers: Any, output: str) -> dict[str, Any]:
    return {
        "class_name": "Functional",
        "config": {"name": "m", "layers": list(layers), "input_layers": ["in", 0, 0],
                   "output_layers": [output, 0, 0]},
    }  # fmt: skip


def post(client: httpx.Client, payload: bytes, filename: str = "model.keras") -> httpx.Response:
    return client.post("/api/graphs/import", files={"file": (filename, payload)})


def problems(response: httpx.Response) -> dict[tuple[str, ...], str]:
    assert response.status_code == 422, response.text
    return {tuple(p["loc"]): p["message"] for p in response.json()["error"]["problems"]}


INPUT = layer("in", "InputLayer", [], batch_shape=[None, 8, 8, 3])


def test_a_hand_written_functional_model_imports_with_its_file_name(
    client: httpx.Client,
) -> None:
    config = functional(
        INPUT,
        layer("flat", "Flatten", ["in"], data_format="channels_last"),
        layer("out", "Dense", ["flat"], units=2, activation="softmax"),
        output="out",
    )
    response = post(client, keras_zip(config), "tiny net.keras")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "tiny net"
    assert [n["id"] for n in body["latest_version"]["spec"]["nodes"]] == ["in", "flat", "out"]


def test_a_text_file_renamed_keras_is_refused(client: httpx.Client) -> None:
    found = problems(post(client, b"just some notes\n", "notes.keras"))
    assert found == {("file",): "notes.keras is not a .keras file: it is not a zip archive"}


def test_a_zip_without_config_json_is_refused(client: httpx.Client) -> None:
    payload = keras_zip(None, {"model.weights.h5": b"\x89HDF"})
    found = problems(post(client, payload, "weights-only.keras"))
    assert found == {
        ("file",): "weights-only.keras has no config.json, so it is not a Keras 3 model file"
    }


def test_a_subclassed_model_is_refused(client: httpx.Client) -> None:
    payload = keras_zip({"class_name": "MyModel", "config": {"units": 3}})
    [message] = problems(post(client, payload)).values()
    assert "MyModel" in message and "functional and Sequential" in message


def test_every_unsupported_layer_and_setting_is_reported_at_once(client: httpx.Client) -> None:
    config = functional(
        INPUT,
        layer("dilated", "Conv2D", ["in"], filters=4, kernel_size=[3, 3], strides=[1, 1],
              dilation_rate=[2, 2], activation="relu", padding="same"),
        layer("shared", "Conv2D", ["dilated"], calls=2, filters=4, kernel_size=[3, 3],
              strides=[1, 1], activation="relu", padding="same"),
        layer("gru", "GRU", ["shared"], units=4),
        layer("custom", "Functional", ["gru"], layers=[], output_layers=[]),
        layer("out", "Dense", ["custom"], units=2, activation="softplus"),
        output="out",
    )  # fmt: skip
    found = problems(post(client, keras_zip(config)))
    assert set(found) == {
        ("file", "layers", n) for n in ("dilated", "shared", "gru", "custom", "out")
    }
    assert found[("file", "layers", "dilated")] == (
        "layer 'dilated' is a Conv2D with dilation_rate=[2, 2], which the canvas does not support"
    )
    assert "called 2 times" in found[("file", "layers", "shared")]
    assert found[("file", "layers", "gru")] == (
        "layer 'gru' is a GRU, which the canvas does not support"
    )
    assert "not one of the canvas's backbones" in found[("file", "layers", "custom")]
    assert "activation 'softplus'" in found[("file", "layers", "out")]


def test_a_model_the_canvas_would_not_accept_is_refused_by_graph_validation(
    client: httpx.Client,
) -> None:
    # Every layer is supported, but a Dense on an image has no flat input to take.
    config = functional(INPUT, layer("out", "Dense", ["in"], units=2), output="out")
    found = problems(post(client, keras_zip(config)))
    assert any("out" in loc for loc in found), found
