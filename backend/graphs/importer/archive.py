"""A ``.keras`` file's model config, read as JSON without Keras.

A ``.keras`` file is a zip of ``config.json`` (the architecture, what ``get_config`` says
wrapped in ``{"class_name", "config"}``), ``metadata.json`` and ``model.weights.h5``. Only
the config is read; the weights are never opened, so a 300 MB file costs a directory read.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from backend.errors import InvalidInput, Problem

# A model's config is tens of kilobytes to a few megabytes (DenseNet's 427 layers: ~1 MB).
MAX_CONFIG_BYTES = 32 * 1024 * 1024
LOC = ("file",)


@dataclass(frozen=True)
class KerasLayer:
    """One layer of a functional model, with the layers feeding it in call order."""

    name: str
    class_name: str
    config: dict[str, Any]
    sources: list[str]
    calls: int  # >1: the layer is shared (called on several inputs)


def read_config(file: IO[bytes], filename: str) -> dict[str, Any]:
    def fail(message: str) -> InvalidInput:
        return InvalidInput(f"{filename} cannot be imported", [Problem(LOC, message)])

    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as exc:
        raise fail(f"{filename} is not a .keras file: it is not a zip archive") from exc
    with archive:
        try:
            info = archive.getinfo("config.json")
        except KeyError as exc:
            raise fail(f"{filename} has no config.json, so it is not a Keras 3 model file") from exc
        if info.file_size > MAX_CONFIG_BYTES:
            raise fail(f"{filename}'s config.json is larger than {MAX_CONFIG_BYTES} bytes")
        try:
            config = json.loads(archive.read(info))
        except (ValueError, zipfile.BadZipFile) as exc:
            raise fail(f"{filename}'s config.json is not valid JSON: {exc}") from exc
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise fail(f"{filename}'s config.json does not describe a Keras model")
    return config


def functional_layers(model: dict[str, Any]) -> list[KerasLayer]:
    """The layers of a Functional model config (or a nested one), with their inputs."""
    result = []
    for entry in model["config"].get("layers", []):
        name = str(entry.get("name") or entry.get("config", {}).get("name"))
        nodes = entry.get("inbound_nodes") or []
        sources = _history_names(nodes[0]) if nodes else []
        config = entry.get("config") if isinstance(entry.get("config"), dict) else {}
        result.append(KerasLayer(name, str(entry.get("class_name")), config, sources, len(nodes)))
    return result


def sequential_layers(model: dict[str, Any]) -> list[KerasLayer]:
    """A Sequential model is a chain: each layer takes the one before it."""
    result: list[KerasLayer] = []
    for entry in model["config"].get("layers", []):
        config = entry.get("config") if isinstance(entry.get("config"), dict) else {}
        name = str(config.get("name") or entry.get("name"))
        sources = [result[-1].name] if result else []
        result.append(KerasLayer(name, str(entry.get("class_name")), config, sources, 1))
    return result


def endpoint_names(value: Any) -> list[str]:
    """``input_layers`` / ``output_layers``: ``[name, 0, 0]`` or a list of them."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return [value[0]]
    if isinstance(value, list):
        return [name for item in value for name in endpoint_names(item)]
    return []


def _history_names(node: Any) -> list[str]:
    # Keras 3: {"args": [tensor or [tensors]], "kwargs": {...}}, each tensor a dict with
    # config.keras_history = [layer, node index, tensor index]. Keras 2.13-2.15's
    # .keras files: [[layer, node index, tensor index, kwargs], ...].
    if isinstance(node, dict):
        if node.get("class_name") == "__keras_tensor__":
            history = node.get("config", {}).get("keras_history") or []
            return [str(history[0])] if history else []
        return _history_names(node.get("args", []))
    if isinstance(node, list):
        if len(node) >= 3 and isinstance(node[0], str) and isinstance(node[1], int):
            return [node[0]]
        return [name for item in node for name in _history_names(item)]
    return []
