"""What the canvas offers: every layer kind with its parameter form, and the palette.

The front end builds its palette and its inspector forms from this (GET /api/graph-schema),
so a layer kind added to ``schema.py`` appears on the canvas without front-end changes;
``tests/graph/test_catalogue.py`` keeps this table and the schema's union in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel

from backend.graph.backbone_blocks import BLOCK_TABLES
from backend.graph.backbones import BACKBONES
from backend.graph.checks import MERGE_TYPES
from backend.graph.schema import BackboneName, GraphSpec, Node

Arity = Literal["none", "one", "many"]


@dataclass(frozen=True)
class LayerKind:
    category: str
    description: str
    # Params a newly dropped node starts with; must validate against the params model.
    defaults: dict[str, Any]


LAYER_KINDS: dict[str, LayerKind] = {
    "Input": LayerKind("Input", "The image the model takes (spectrograms are images).",
                       {"height": 224, "width": 224, "channels": 3}),
    "Backbone": LayerKind("Pre-trained", "A pre-trained convolutional network.",
                          {"architecture": "ResNet50", "weights": "imagenet", "trainable": "all"}),
    "Conv2D": LayerKind("Convolution", "2D convolution over height and width.", {"filters": 32}),
    "SeparableConv2D": LayerKind("Convolution", "Depthwise then pointwise convolution: "
                                 "fewer weights than Conv2D.", {"filters": 32}),
    "MaxPooling2D": LayerKind("Pooling", "Keeps the largest value of each window.", {}),
    "AveragePooling2D": LayerKind("Pooling", "Averages each window.", {}),
    "GlobalMaxPooling2D": LayerKind("Pooling", "One value per channel: the largest over the "
                                    "whole image. Makes the output flat for Dense.", {}),
    "GlobalAveragePooling2D": LayerKind("Pooling", "One value per channel: the mean over the "
                                        "whole image. Makes the output flat for Dense.", {}),
    "Flatten": LayerKind("Core", "Unrolls an image-shaped output into one vector.", {}),
    "Dense": LayerKind("Core", "Fully connected layer; the last one gives class scores.",
                       {"units": 64, "activation": "relu"}),
    "Dropout": LayerKind("Normalization", "Drops a fraction of values while training.",
                         {"rate": 0.5}),
    "BatchNormalization": LayerKind("Normalization", "Normalises each channel over the batch.",
                                    {}),
    "Activation": LayerKind("Core", "Applies a function element by element.",
                            {"activation": "relu"}),
    "Add": LayerKind("Merge", "Adds two or more inputs of the same shape.", {}),
    "Concatenate": LayerKind("Merge", "Joins two or more inputs along the channel axis.", {}),
    "Resizing": LayerKind("Preprocessing", "Resizes images to a fixed height and width.",
                          {"height": 224, "width": 224}),
    "Rescaling": LayerKind("Preprocessing", "Multiplies by a scale and adds an offset.", {}),
    "RandomTimeShift": LayerKind("Augmentation", "Shifts spectrograms along time; training only.",
                                 {}),
    "TimeMasking": LayerKind("Augmentation", "Blanks random time stripes; training only.", {}),
    "FrequencyMasking": LayerKind("Augmentation", "Blanks random frequency bands; training only.",
                                  {}),
}

BACKBONE_LABELS: dict[str, str] = {"SqueezeNet11": "SqueezeNet 1.1",
                                   "WideResNet50_2": "WideResNet-50-2"}


def node_models() -> dict[str, type[BaseModel]]:
    """Node type -> its Pydantic node model, read from the discriminated union."""
    union = get_args(Node)[0]
    models: dict[str, type[BaseModel]] = {}
    for model in get_args(union):
        node_type = get_args(model.model_fields["type"].annotation)[0]
        models[node_type] = model
    return models


def _arity(node_type: str) -> Arity:
    if node_type == "Input":
        return "none"
    return "many" if node_type in MERGE_TYPES else "one"


def _defaults(model: type[BaseModel], overrides: dict[str, Any]) -> dict[str, Any]:
    params_model = model.model_fields["params"].annotation
    assert isinstance(params_model, type) and issubclass(params_model, BaseModel)
    return params_model.model_validate(overrides).model_dump(mode="json")


def layers() -> list[dict[str, Any]]:
    entries = []
    for node_type, model in node_models().items():
        kind = LAYER_KINDS[node_type]
        params_model = model.model_fields["params"].annotation
        assert isinstance(params_model, type) and issubclass(params_model, BaseModel)
        entries.append({
            "type": node_type,
            "label": node_type,
            "category": kind.category,
            "description": kind.description,
            "inputs": _arity(node_type),
            "params_schema": params_model.model_json_schema(),
            "defaults": _defaults(model, kind.defaults),
        })
    return entries


def palette() -> list[dict[str, Any]]:
    """One entry per layer kind, except the Backbone: one per architecture."""
    entries: list[dict[str, Any]] = []
    for layer in layers():
        if layer["type"] != "Backbone":
            entries.append({"key": layer["type"], "label": layer["label"],
                            "type": layer["type"], "category": layer["category"],
                            "description": layer["description"], "params": layer["defaults"]})
            continue
        model = node_models()["Backbone"]
        for architecture in get_args(BackboneName):
            info = BACKBONES[architecture]
            params = _defaults(model, {**LAYER_KINDS["Backbone"].defaults,
                                       "architecture": architecture})
            entries.append({
                "key": f"backbone:{architecture}",
                "label": BACKBONE_LABELS.get(architecture, architecture),
                "type": "Backbone",
                "category": "Pre-trained",
                "description": f"{BACKBONE_LABELS.get(architecture, architecture)}, pre-trained "
                               f"on ImageNet; inputs of at least {info.min_size}x{info.min_size}.",
                "params": params,
                # For the inspector's "last N blocks": the valid N are 1..blocks.
                "blocks": len(BLOCK_TABLES[architecture].blocks),
            })
    return entries


def graph_schema() -> dict[str, Any]:
    return {
        "schema_version": GraphSpec.model_fields["schema_version"].default,
        "graph_json_schema": GraphSpec.model_json_schema(),
        "layers": layers(),
        "palette": palette(),
    }
