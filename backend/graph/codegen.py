"""A graph version as a runnable Keras 3 script ("View code").

Pure string templating: the API never imports Keras. The script builds the model the
worker's compiler builds (worker/compiler), node for node and in the same order, with
every layer named by its node id, the backbones' preprocessing inside the model and the
same trainable settings; tests/worker/test_codegen.py runs scripts and compares.
It is self-contained: what Keras lacks (SqueezeNet 1.1, WRN-50-2, the augmentation
layers, the preprocessing helper) is copied in as code, so it runs anywhere Keras 3 does,
without dlstudio installed.
"""

from __future__ import annotations

import keyword
import re
from collections import deque
from typing import Any

from backend.graph import codegen_backbones as _backbones  # noqa: F401  (registers)
from backend.graph import codegen_snippets as snippets
from backend.graph import codegen_training
from backend.graph.codegen_layers import EMITTERS, Site, literal
from backend.graph.schema import GraphSpec
from backend.graph.shapes import inputs_of
from backend.graph.validate import validate_graph

# Snippets in the order the script defines them (later ones may use earlier ones).
SNIPPETS = (
    ("preprocessing", snippets.PREPROCESSING),
    ("augmentation", snippets.AUGMENTATION),
    ("torchvision_weights", snippets.TORCHVISION_WEIGHTS),
    ("weights_files", snippets.WEIGHTS_FILES),
    ("backbone_blocks", snippets.BACKBONE_BLOCKS),
    ("cosine", codegen_training.COSINE),
    ("balanced", codegen_training.BALANCED),
    ("squeezenet", snippets.SQUEEZENET),
    ("wide_resnet", snippets.WIDE_RESNET),
)
# Names the script itself uses, which a node's variable must not take.
RESERVED = {
    "keras", "layers", "ops", "np", "os", "model", "build_model", "imagenet_preprocessing",
    "RandomTimeShift", "TimeMasking", "FrequencyMasking", "SqueezeNet11", "WideResNet50_2",
    "torchvision_weights_file", "input", "print", "sys", "load_weights_file",
    "freeze_before_block", "_parents", "_feeding", "math", "collections", "cosine_rate",
    "balanced_class_weights", "compile_model", "training_callbacks", "train", "EPOCHS",
    "BATCH_SIZE", "SEED", "VALIDATION_FRACTION",
}  # fmt: skip

TRAINING_PLACEHOLDER = """\
# ---------------------------------------------------------------------------------------
# TRAINING SETTINGS go here. A graph version has none; a dlstudio run of this model adds
#     model.compile(optimizer=..., loss=..., metrics=["accuracy"])
#     model.fit(train_data, validation_data=..., epochs=..., batch_size=...)
# with the run's hyperparameters. The model takes 0-255 pixels: any backbone
# preprocessing is already inside it.
# ---------------------------------------------------------------------------------------
"""


def slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return text[:80] or "model"


def script_filename(graph_name: str, version: int, run_id: int | None = None) -> str:
    run = f"_run{run_id}" if run_id is not None else ""
    return f"{slug(graph_name)}_v{version}{run}.py"


def generate_script(
    document: GraphSpec | dict[str, Any],
    title: str = "model",
    model_name: str | None = None,
    run: tuple[int, dict[str, Any]] | None = None,
) -> str:
    """The script for a graph (validated first: an invalid graph raises InvalidInput).

    ``run``: (run id, its hyperparameters as ``Hyperparameters.model_dump()``) adds the
    run's compile / callbacks / fit in place of the training placeholder.
    """
    raw = document.model_dump(mode="json") if isinstance(document, GraphSpec) else document
    validated = validate_graph(raw)
    spec, shapes = validated.spec, validated.shapes
    sources = inputs_of(spec)
    names = _variable_names(spec)
    body: list[str] = []
    needs: set[str] = set()
    for node in build_order(spec):
        inputs = sources[node.id]
        site = Site(node, [names[s] for s in inputs], [shapes[s] for s in inputs], names[node.id])
        body += EMITTERS[node.type](site)
        needs |= site.needs
    input_id = next(node.id for node in spec.nodes if node.type == "Input")
    model_line = (
        f"return keras.Model({names[input_id]}, {names[validated.output_id]}, "
        f"name={literal(model_name or slug(title))})"
    )
    training = TRAINING_PLACEHOLDER.rstrip("\n")
    if run is not None:
        output = next(node for node in spec.nodes if node.id == validated.output_id)
        # A linear output is read as logits (worker/compiler/compile.py output_is_logits).
        from_logits = output.type in ("Dense", "Activation") and (
            getattr(output.params, "activation", None) == "linear"
        )
        training, extra = codegen_training.training_section(run[0], run[1], from_logits)
        needs |= extra | ({"math"} if "cosine" in extra else set())
        needs |= {"collections"} if "balanced" in extra else set()
    return _assemble(title, needs, [*body, model_line], training)


def build_order(spec: GraphSpec) -> list[Any]:
    """The worker's build order (worker/compiler/topology.py: Kahn's algorithm in node
    order), so Keras numbers and lists the layers the same way in both."""
    nodes = {node.id: node for node in spec.nodes}
    waiting = {node_id: 0 for node_id in nodes}
    outbound: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for edge in spec.edges:
        waiting[edge.target] += 1
        outbound[edge.source].append(edge.target)
    ready = deque(node_id for node_id, count in waiting.items() if count == 0)
    order = []
    while ready:
        node_id = ready.popleft()
        order.append(nodes[node_id])
        for target in outbound[node_id]:
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    return order


def _variable_names(spec: GraphSpec) -> dict[str, str]:
    used = set(RESERVED)
    names: dict[str, str] = {}
    for node in spec.nodes:
        base = re.sub(r"\W", "_", node.id)
        if base[0].isdigit():
            base = f"node_{base}"
        if keyword.iskeyword(base) or base in RESERVED:
            base = f"{base}_"
        name, counter = base, 2
        while name in used or f"{name}_network" in used:
            name, counter = f"{base}_{counter}", counter + 1
        used |= {name, f"{name}_network"}
        names[node.id] = name
    return names


def _assemble(title: str, needs: set[str], body: list[str], training: str) -> str:
    modules = ("collections", "math", "os", "sys")
    stdlib = [f"import {name}\n" for name in modules if name in needs]
    imports = [*stdlib, "\n"] if stdlib else []
    imports.append("import keras\n")
    if "numpy" in needs:
        imports.append("import numpy as np\n")
    imports.append("from keras import layers" + (", ops" if "augmentation" in needs else ""))
    title = title.replace("\\", "/").replace('"' * 3, "'" * 3)  # keep the docstring closed
    header = (
        f'"""{title}: the Keras 3 model dlstudio builds for this graph.\n\n'
        "Every layer is named after its node id on the canvas. Run `python <this file>` to\n"
        "print the summary, or import it and call build_model(). Needs only Keras 3 (any\n"
        'backend); weights are not included.\n"""\n\n'
    )
    parts = [header + "".join(imports)]
    parts += [text.strip("\n") for name, text in SNIPPETS if name in needs]
    lines = [line for block in body for line in block.split("\n")]
    function = "def build_model():\n" + "".join(f"    {line}\n" for line in lines)
    main = 'if __name__ == "__main__":\n    model = build_model()\n    model.summary()\n'
    return "\n\n\n".join([*parts, function.rstrip("\n"), training, main])
