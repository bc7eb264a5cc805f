"""GraphSpec -> keras.Model, resolving nodes in topological order.

Any Keras exception raised while a node is built is reported on that node, in
words a user can act on; Keras's own sentence is kept because it names the
offending value ("Input size must be at least 75x75").
"""

from __future__ import annotations

import re
from typing import Any

import keras

from backend.errors import Problem
from backend.graph.schema import ActivationNode, BackboneNode, DenseNode, GraphSpec, Node
from worker.compiler import backbones, builders  # noqa: F401  (they register the builders)
from worker.compiler.errors import CompileError, node_error
from worker.compiler.registry import Tensor, builder_for
from worker.compiler.topology import plan

MAX_KERAS_MESSAGE = 400
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")


def compile_graph(spec: GraphSpec) -> Any:
    """Build the (uncompiled) Keras model the graph describes."""
    steps = plan(spec)
    tensors: dict[str, Tensor] = {}
    for node in steps.order:
        builder = builder_for(node)
        assert builder is not None  # plan() reported unregistered types
        inputs = [tensors[source] for source in steps.inbound[node.id]]
        try:
            tensors[node.id] = builder.build(node, inputs)
        except CompileError:
            raise
        except Exception as exc:
            raise node_error(node.id, _describe(node, inputs, exc)) from exc
    try:
        return keras.Model(tensors[steps.input_id], tensors[steps.output_id], name="dlstudio")
    except Exception as exc:
        problem = Problem(("nodes",), f"Keras could not assemble the model: {_short(exc)}")
        raise CompileError("The model graph could not be built", [problem]) from exc


def check_output(model: Any, spec: GraphSpec, num_classes: int) -> None:
    """A classifier must give one value per class and image: say how to get there."""
    output_id = plan(spec).output_id
    shape = tuple(model.output.shape[1:])
    if len(shape) != 1:
        raise node_error(
            output_id,
            f"The output node '{output_id}' gives a {_shape_text(shape)} block per image; a "
            f"classifier must end in one value per class. Add Flatten or "
            f"GlobalAveragePooling2D, then Dense with {num_classes} units and softmax.",
        )
    if shape[0] != num_classes:
        raise node_error(
            output_id,
            f"The output node '{output_id}' gives {shape[0]} values per image, but the dataset "
            f"has {num_classes} classes: set its units to {num_classes}.",
        )


def output_is_logits(spec: GraphSpec) -> bool:
    """A linear output is read as logits, so the loss applies the softmax itself."""
    node = next(n for n in spec.nodes if n.id == plan(spec).output_id)
    return isinstance(node, DenseNode | ActivationNode) and node.params.activation == "linear"


def _describe(node: Node, inputs: list[Tensor], exc: Exception) -> str:
    what = f"{node.type} '{node.id}'"
    if isinstance(node, BackboneNode):
        what += f" ({node.params.architecture})"
    if inputs:
        what += f" on input {_shape_text(tuple(inputs[0].shape[1:]))}"
    return f"{what} could not be built: {_short(exc)}"


def _short(exc: Exception) -> str:
    # Keras wraps a layer's error in "Exception encountered when calling X.call()"
    # plus a dump of the arguments, with terminal colour codes: keep the sentence.
    text = ANSI_CODES.sub("", str(exc)).split("Arguments received by", 1)[0]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("Exception encountered when")]
    text = " ".join(lines) or type(exc).__name__
    return text if len(text) <= MAX_KERAS_MESSAGE else text[: MAX_KERAS_MESSAGE - 1] + "…"


def _shape_text(shape: tuple[Any, ...]) -> str:
    return "x".join(str(d) for d in shape)
