"""The palette and the inspector's forms come from the schema, so they cannot drift from it."""

from __future__ import annotations

from typing import get_args

from backend.graph.backbone_blocks import BLOCK_TABLES
from backend.graph.catalogue import LAYER_KINDS, graph_schema, node_models
from backend.graph.schema import BackboneName
from backend.graph.validate import validate_graph


def test_every_layer_kind_is_in_the_catalogue_with_a_form() -> None:
    schema = graph_schema()
    types = {layer["type"] for layer in schema["layers"]}
    assert types == set(node_models()) == set(LAYER_KINDS)
    dense = next(layer for layer in schema["layers"] if layer["type"] == "Dense")
    assert dense["params_schema"]["properties"]["units"]["minimum"] == 1
    assert "softmax" in dense["params_schema"]["properties"]["activation"]["enum"]
    merges = {layer["type"] for layer in schema["layers"] if layer["inputs"] == "many"}
    assert merges == {"Add", "Concatenate"}


def test_the_palette_offers_every_backbone_and_its_defaults_are_valid_nodes() -> None:
    schema = graph_schema()
    palette = schema["palette"]
    inputs = {layer["type"]: layer["inputs"] for layer in schema["layers"]}
    keys = {entry["key"] for entry in palette}
    assert {f"backbone:{name}" for name in get_args(BackboneName)} <= keys
    size = {"height": 299, "width": 299, "channels": 3}
    for entry in palette:
        if entry["type"] == "Input":
            continue
        # Dense takes a flat input; everything else here takes the image.
        before = "flat" if entry["type"] == "Dense" else "input"
        document = {
            "nodes": [
                {"id": "input", "type": "Input", "params": size},
                {"id": "flat", "type": "GlobalAveragePooling2D", "params": {}},
                {"id": "x", "type": entry["type"], "params": entry["params"]},
            ],
            "edges": [{"source": "input", "target": "flat"}]
            + [{"source": before, "target": "x"}] * (2 if inputs[entry["type"]] == "many" else 1),
        }
        if before == "input":  # the pooling branch must end somewhere: make it the output
            document["nodes"] = [document["nodes"][0], document["nodes"][2]]
            document["edges"] = document["edges"][1:]
        validate_graph(document)  # raises with the problems if a default is broken


def test_each_backbone_entry_says_how_many_blocks_it_has() -> None:
    backbones = [e for e in graph_schema()["palette"] if e["type"] == "Backbone"]
    blocks = {e["params"]["architecture"]: e["blocks"] for e in backbones}
    assert blocks["ResNet50"] == 16 and blocks["SqueezeNet11"] == 8 and blocks["VGG16"] == 5
    assert blocks == {name: len(table.blocks) for name, table in BLOCK_TABLES.items()}
