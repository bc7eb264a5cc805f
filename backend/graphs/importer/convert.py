"""A Keras model config -> a graph document for the canvas.

Layer names become node ids (the compiler names layers by node id, so a model dlstudio
saved comes back with its own ids), inbound nodes become edges in call order, nested
backbones become Backbone nodes, and every layer the canvas cannot hold is reported at
once, by name and class.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from backend.errors import InvalidInput, Problem, ProblemCollector
from backend.graph.backbones import BACKBONES
from backend.graphs.importer.archive import (
    KerasLayer,
    endpoint_names,
    functional_layers,
    sequential_layers,
)
from backend.graphs.importer.backbones import NESTED_MODELS, FoundBackbone, fold_backbone
from backend.graphs.importer.backbones import architecture_of as backbone_architecture
from backend.graphs.importer.layers import MAPPERS, Unsupported
from backend.graphs.importer.layout import positions


@dataclass(frozen=True)
class Imported:
    document: dict[str, Any]
    notes: list[str]


def convert(model: dict[str, Any], filename: str) -> Imported:
    layers, inputs, outputs = _layers(model, filename)
    by_name = {layer.name: layer for layer in layers}
    consumers = Counter(source for layer in layers for source in layer.sources)
    problems = ProblemCollector()
    if len(inputs) != 1 or len(outputs) != 1:
        problems.add(("file",), f"the model has {len(inputs)} inputs and {len(outputs)} "
                     "outputs; the canvas builds models with one of each")  # fmt: skip
    backbones = _backbones(layers, by_name, consumers, problems)
    absorbed = {name for found in backbones.values() for name in found.absorbed}
    kept = [layer for layer in layers if layer.name not in absorbed]
    nodes = [_node(layer, backbones, problems) for layer in kept]
    problems.raise_if_any(f"{filename} has layers the canvas does not support")
    ids = _node_ids([layer.name for layer in kept])
    edges = []
    for layer in kept:
        sources = [backbones[layer.name].source] if layer.name in backbones else layer.sources
        edges += [{"source": ids[s], "target": ids[layer.name]} for s in sources]
    nodes = [{"id": ids[layer.name], **node} for node, layer in zip(nodes, kept, strict=True)]
    laid_out = positions([n["id"] for n in nodes], [(e["source"], e["target"]) for e in edges])
    for node in nodes:
        node["position"] = laid_out[node["id"]]
    notes = [note for found in backbones.values() for note in found.notes]
    return Imported({"schema_version": 1, "nodes": nodes, "edges": edges}, notes)


def _layers(model: dict[str, Any], filename: str) -> tuple[list[KerasLayer], list[str], list[str]]:
    kind = model.get("class_name")
    config = model["config"]
    if kind in NESTED_MODELS:
        layers = functional_layers(model)
        inputs = endpoint_names(config.get("input_layers"))
        return layers, inputs, endpoint_names(config.get("output_layers"))
    if kind == "Sequential":
        layers = sequential_layers(model)
        if not layers or layers[0].class_name != "InputLayer":
            raise _whole_file(filename, "the Sequential model has no input shape; build it "
                              "with keras.Input(...) first so its layers are known")  # fmt: skip
        return layers, [layers[0].name], [layers[-1].name]
    raise _whole_file(
        filename,
        f"the file holds a {kind} model; only functional and Sequential models can be "
        "imported (a subclassed model's config does not list its layers)",
    )


def _whole_file(filename: str, message: str) -> InvalidInput:
    return InvalidInput(f"{filename} cannot be imported", [Problem(("file",), message)])


def _backbones(
    layers: list[KerasLayer],
    by_name: dict[str, KerasLayer],
    consumers: Counter[str],
    problems: ProblemCollector,
) -> dict[str, FoundBackbone]:
    found: dict[str, FoundBackbone] = {}
    for layer in layers:
        if layer.class_name not in NESTED_MODELS:
            continue
        architecture = backbone_architecture(layer)
        if architecture is None:
            problems.add(_loc(layer), f"layer '{layer.name}' is a nested {layer.class_name} "
                         "model that is not one of the canvas's backbones "
                         f"({', '.join(BACKBONES)})")  # fmt: skip
        elif len(layer.sources) == 1:
            found[layer.name] = fold_backbone(layer, architecture, by_name, dict(consumers))
    return found


def _node(
    layer: KerasLayer, backbones: dict[str, FoundBackbone], problems: ProblemCollector
) -> dict[str, Any]:
    if layer.calls > 1:
        problems.add(_loc(layer), f"layer '{layer.name}' is called {layer.calls} times (shared "
                     "weights), which the canvas does not support")  # fmt: skip
    if layer.name in backbones:
        return {"type": "Backbone", "params": backbones[layer.name].params}
    if layer.class_name in NESTED_MODELS:
        return {}  # reported by _backbones
    if layer.class_name not in MAPPERS:
        problems.add(_loc(layer), f"layer '{layer.name}' is {_article(layer.class_name)} "
                     f"{layer.class_name}, which the canvas does not support")  # fmt: skip
        return {}
    node_type, mapper = MAPPERS[layer.class_name]
    try:
        return {"type": node_type, "params": mapper(layer.config)}
    except Unsupported as exc:
        message = f"{layer.class_name} with {exc}, which the canvas does not support"
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        message = f"{layer.class_name} whose config cannot be read ({type(exc).__name__}: {exc})"
    problems.add(_loc(layer), f"layer '{layer.name}' is {_article(layer.class_name)} {message}")
    return {}


def _loc(layer: KerasLayer) -> tuple[str, ...]:
    return ("file", "layers", layer.name)


def _article(class_name: str) -> str:
    # "an LSTM", "an Embedding", "a GRU": acronyms are read letter by letter.
    acronym = len(class_name) > 1 and class_name[:2].isupper()
    vowel_sound = "AEFHILMNORSX" if acronym else "AEIOU"
    return "an" if class_name[:1] in vowel_sound else "a"


def _node_ids(names: list[str]) -> dict[str, str]:
    """Layer names as node ids (which allow letters, digits, ``_ . -``, 64 at most)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_\-]", "_", name)[:60] or "layer"
        candidate, counter = base, 2
        while candidate in taken:
            candidate, counter = f"{base}_{counter}", counter + 1
        taken.add(candidate)
        ids[name] = candidate
    return ids
