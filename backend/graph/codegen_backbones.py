"""The exported script's backbone: the same layers worker/compiler/backbones.py builds.

In order: a grey input repeated to RGB (ImageNet weights only), the architecture's
ImageNet preprocessing as a stock layer named ``<id>_preprocess``, then the network
without its top as a nested model named by the node id. Parameters are read through
``model_dump()`` so that settings added to ``BackboneParams`` later reach the script as
a visible note instead of being dropped without a word.
"""

from __future__ import annotations

from typing import Any

from backend.graph.backbone_blocks import BLOCK_TABLES
from backend.graph.backbones import BACKBONES
from backend.graph.codegen_layers import Site, emitter, literal

# Architectures keras.applications lacks: the script carries their builders
# (backend/graph/codegen_snippets.py), named as the worker's.
OWN_BUILDERS = {"SqueezeNet11": "squeezenet", "WideResNet50_2": "wide_resnet"}
KNOWN_PARAMS = {"architecture", "weights", "weights_file", "trainable", "trainable_blocks"}


def factory(architecture: str) -> str:
    if architecture in OWN_BUILDERS:
        return architecture
    return f"keras.applications.{architecture}"


@emitter("Backbone")
def _backbone(site: Site) -> list[str]:
    params: dict[str, Any] = site.node.params.model_dump()
    node_id, architecture = site.node.id, params["architecture"]
    mode = BACKBONES[architecture].preprocessing
    x, (height, width, channels) = site.inputs[0], site.input_shapes[0]
    out, network = site.out, f"{site.out}_network"
    imagenet = params["weights"] == "imagenet"
    lines = [f"# Backbone {node_id!r}: {architecture} without its classifier."]
    if imagenet and channels == 1:
        lines.append("# ImageNet filters expect RGB: repeat the grey channel three times.")
        rgb = literal(f"{node_id}_to_rgb")
        lines.append(f"{out} = layers.Concatenate(name={rgb})([{x}, {x}, {x}])")
        x, channels = out, 3
    if mode != "none":
        site.needs.update({"preprocessing", "numpy"})
        name = literal(f"{node_id}_preprocess")
        lines.append(f"{out} = imagenet_preprocessing({literal(mode)}, {x}, name={name})")
        x = out
    if architecture in OWN_BUILDERS:
        site.needs.update({OWN_BUILDERS[architecture], "torchvision_weights", "os"})
    lines.append(
        f"{network} = {factory(architecture)}(\n    include_top=False,\n"
        f"    weights={literal('imagenet' if imagenet else None)},\n"
        f"    input_shape={literal((height, width, channels))},\n    name={literal(node_id)},\n)"
    )
    lines += _unknown_params(params)
    if params["weights"] == "file":
        site.needs.update({"weights_files", "os", "sys"})
        sha = params["weights_file"]
        lines.append(f"# Weights: the file uploaded to dlstudio with sha256 {sha}.")
        lines.append(f"load_weights_file({network}, {literal(f'{sha}.weights.h5')})")
    return lines + _trainable(site, params, network, x)


def _trainable(site: Site, params: dict[str, Any], network: str, x: str) -> list[str]:
    out = site.out
    if params["trainable"] == "frozen":
        return [
            f"{network}.trainable = False",
            "# training=False keeps frozen BatchNorm layers on their stored statistics.",
            f"{out} = {network}({x}, training=False)",
        ]
    lines = []
    if params["trainable"] == "last_blocks":
        site.needs.add("backbone_blocks")
        names = [name for name, _ in BLOCK_TABLES[params["architecture"]].blocks]
        count = params["trainable_blocks"]
        first = names[len(names) - count]
        lines += [
            f"# Train only the last {count} of its {len(names)} blocks ({first} onwards).",
            f"freeze_before_block({network}, {literal(first)})",
        ]
    return [*lines, f"{out} = {network}({x})"]


def _unknown_params(params: dict[str, Any]) -> list[str]:
    extra = {k: v for k, v in params.items() if k not in KNOWN_PARAMS and v is not None}
    if not extra:
        return []
    settings = ", ".join(f"{key}={value!r}" for key, value in sorted(extra.items()))
    return [f"# NOTE: not exported yet, set in dlstudio: {settings}"]
