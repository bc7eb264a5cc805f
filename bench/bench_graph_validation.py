"""Validation + shape and parameter inference of a ~300-node graph, against a Keras build.

What the canvas waits for on every edit (``backend.graph.validate.validate_graph``:
Pydantic parse, structure checks, shapes and weight counts, pure Python) against
the only other way to learn the same numbers: building the model with Keras
(``worker.compiler.compile_graph``) in the same process. Prints both medians and
the ratio (the issue's target: at least 100x). Run:
    .venv/bin/python bench/bench_graph_validation.py [--blocks 36] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from backend.graph.validate import validate_graph


class GraphBuilder:
    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, str]] = []

    def add(self, kind: str, sources: list[str], **params: Any) -> str:
        node_id = f"{kind.lower()}_{len(self.nodes)}"
        self.nodes.append({"id": node_id, "type": kind, "params": params})
        self.edges += [{"source": source, "target": node_id} for source in sources]
        return node_id

    def residual_block(self, tip: str, filters: int) -> str:
        # conv-bn-relu-sepconv-bn, added to the block's input, then a 1x1 projection
        # of the concatenation of both paths: 9 nodes, two of them merges.
        x = self.add("Conv2D", [tip], filters=filters, kernel_size=3, activation="linear")
        x = self.add("BatchNormalization", [x])
        x = self.add("Activation", [x], activation="relu")
        x = self.add("SeparableConv2D", [x], filters=filters, kernel_size=3)
        x = self.add("BatchNormalization", [x])
        added = self.add("Add", [tip, x])
        joined = self.add("Concatenate", [added, tip])
        x = self.add("Conv2D", [joined], filters=filters, kernel_size=1)
        return self.add("Dropout", [x], rate=0.1)


def big_graph(blocks: int) -> dict[str, Any]:
    g = GraphBuilder()
    tip = g.add("Input", [], height=64, width=96, channels=1)
    tip = g.add("RandomTimeShift", [tip], max_fraction=0.1)
    tip = g.add("TimeMasking", [tip], max_fraction=0.1, count=2)
    tip = g.add("FrequencyMasking", [tip], max_fraction=0.1, count=2)
    tip = g.add("Conv2D", [tip], filters=16, kernel_size=3)
    for index in range(blocks):
        tip = g.residual_block(tip, 16)
        if index % 12 == 11:
            tip = g.add("MaxPooling2D", [tip])
    tip = g.add("GlobalAveragePooling2D", [tip])
    tip = g.add("Dense", [tip], units=64, activation="relu")
    g.add("Dense", [tip], units=3, activation="softmax")
    return {"schema_version": 1, "nodes": g.nodes, "edges": g.edges}


def timed(function: Any, repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--blocks", type=int, default=33)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    document = big_graph(args.blocks)
    pure, validated = timed(lambda: validate_graph(document), args.repeats * 10)

    import keras

    from worker.compiler import compile_graph

    def build() -> Any:
        keras.backend.clear_session()
        return compile_graph(validated.spec)

    build()  # the first build also pays for importing and tracing Keras's own code
    heavy, model = timed(build, args.repeats)
    assert model.count_params() == validated.total_params.total
    print(
        f"graph: {len(document['nodes'])} nodes, {len(document['edges'])} edges, "
        f"{validated.total_params.total:,} weights"
    )
    print(f"pure-Python validation + shapes + params: {pure * 1000:.2f} ms (median)")
    print(f"Keras build ({keras.backend.backend()}): {heavy * 1000:.0f} ms (median)")
    print(f"ratio: {heavy / pure:.0f}x")


if __name__ == "__main__":
    main()
