"""Nested models back to Backbone nodes, with the compiler's wrapping folded back in.

The worker (worker/compiler/backbones.py) and the exported scripts build a backbone as
``[<id>_to_rgb] -> <id>_preprocess -> <id>`` where ``<id>`` is the nested network. Here
the network is recognised by its output layer and layer count (what keras.applications
and our SqueezeNet / WRN builders produce with ``include_top=False``; the round-trip test
in tests/worker/test_keras_import_roundtrip.py fails if a Keras upgrade changes them), and
the two wrapping layers become the node's settings again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.graph.backbone_blocks import BLOCK_TABLES
from backend.graph.backbones import BACKBONES
from backend.graphs.importer.archive import KerasLayer, endpoint_names

NESTED_MODELS = frozenset({"Functional", "Model"})
# (output layer, number of layers incl. the input) -> architecture.
FINGERPRINTS: dict[tuple[str, int], str] = {
    ("conv5_block3_out", 175): "ResNet50",
    ("conv5_block3_out", 345): "ResNet101",
    ("mixed10", 311): "InceptionV3",
    ("out_relu", 154): "MobileNetV2",
    ("top_activation", 237): "EfficientNetB0",
    ("block5_pool", 19): "VGG16",
    ("relu", 427): "DenseNet121",
    ("block14_sepconv2_act", 132): "Xception",
    ("features_12_concat", 65): "SqueezeNet11",
    ("layer4_2_out", 191): "WideResNet50_2",
}
# The layer class worker/compiler/preprocessing.py uses for each mode.
PREPROCESS_CLASSES = {
    "tf": {"Rescaling"},
    "torch": {"Normalization"},
    "caffe": {"Dense", "Normalization"},
}


@dataclass
class FoundBackbone:
    params: dict[str, Any]
    source: str  # the layer that feeds the Backbone node once the wrapping is folded in
    absorbed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def architecture_of(layer: KerasLayer) -> str | None:
    outputs = endpoint_names(layer.config.get("output_layers"))
    count = len(layer.config.get("layers", []))
    return FINGERPRINTS.get((outputs[0], count)) if len(outputs) == 1 else None


def fold_backbone(
    layer: KerasLayer, architecture: str, layers: dict[str, KerasLayer], consumers: dict[str, int]
) -> FoundBackbone:
    """The Backbone node for nested model ``layer`` (which has exactly one input)."""
    source = layer.sources[0]
    absorbed: list[str] = []
    notes: list[str] = []

    def wrapper(suffix: str, classes: set[str]) -> KerasLayer | None:
        candidate = layers.get(source)
        if (
            candidate is not None
            and candidate.name == f"{layer.name}_{suffix}"
            and candidate.class_name in classes
            and consumers.get(candidate.name) == 1
            and candidate.sources
        ):
            return candidate
        return None

    mode = BACKBONES[architecture].preprocessing
    if mode != "none":
        preprocess = wrapper("preprocess", PREPROCESS_CLASSES[mode])
        if preprocess is None:
            notes.append(
                f"backbone '{layer.name}' had no '{layer.name}_preprocess' layer in front; "
                f"dlstudio builds {architecture}'s ImageNet preprocessing into the model"
            )
        else:
            absorbed.append(preprocess.name)
            source = preprocess.sources[0]
    weights = "none"
    to_rgb = wrapper("to_rgb", {"Concatenate"})
    if to_rgb is not None and len(to_rgb.sources) == 3 and len(set(to_rgb.sources)) == 1:
        # Only ImageNet weights make the compiler repeat a grey input to RGB.
        absorbed.append(to_rgb.name)
        source, weights = to_rgb.sources[0], "imagenet"
    params = {"architecture": architecture, "weights": weights}
    params.update(_trainable(layer, architecture, notes))
    return FoundBackbone(params, source, absorbed, notes)


def _trainable(layer: KerasLayer, architecture: str, notes: list[str]) -> dict[str, Any]:
    """ "frozen", "all", or "last_blocks" read back from the inner layers' trainable flags.

    worker/compiler/backbone_blocks.py freezes everything before the first block that
    trains, so a block trains when all of its named layers do (InceptionV3 names only its
    blocks' final concats ``mixedN``, which are frozen with the rest of their block).
    """
    if layer.config.get("trainable") is False:
        return {"trainable": "frozen"}
    flags = {
        str(inner.get("config", {}).get("name")): inner["config"]["trainable"]
        for inner in layer.config.get("layers", [])
        if isinstance(inner.get("config"), dict) and "trainable" in inner["config"]
    }
    if all(flags.values()):
        return {"trainable": "all"}
    names = [name for name, _ in BLOCK_TABLES[architecture].blocks]

    def trains(block: str) -> bool:
        members = [v for k, v in flags.items() if k == block or k.startswith(f"{block}_")]
        return bool(members) and all(members)

    count = sum(trains(block) for block in names)
    if count == 0:
        notes.append(f"backbone '{layer.name}' had some layers frozen in a way the canvas "
                     "cannot express; it was imported as trainable 'all'")  # fmt: skip
        return {"trainable": "all"}
    return {"trainable": "last_blocks", "trainable_blocks": count}
