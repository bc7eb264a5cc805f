"""Prints the backbone weight counts that backend/graph/backbones.py encodes, and writes
backend/graph/backbone_blocks.py (the per-block counts behind ``trainable: "last_blocks"``).

Run ``.venv/bin/python -m worker.compiler.weight_table`` after a Keras upgrade and paste any
changed numbers into ``BACKBONES``; ``--write-blocks`` regenerates the block table. The
agreement tests (tests/worker/test_shape_agreement.py, tests/worker/test_backbone_blocks.py)
fail until both match.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from worker.compiler.backbone_blocks import BLOCK_NAMES, block_index
from worker.compiler.backbones import ARCHITECTURES

BLOCK_TABLE = Path(__file__).resolve().parents[2] / "backend" / "graph" / "backbone_blocks.py"
# Big enough for every architecture; the counts do not depend on the size.
TABLE_INPUT_SIZE = 96


def _count(weights: list[Any]) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def build(name: str, channels: int, size: int = TABLE_INPUT_SIZE) -> Any:
    return ARCHITECTURES[name].factory(
        include_top=False, weights=None, input_shape=(size, size, channels)
    )


def weight_counts(name: str) -> tuple[int, int, int, int]:
    """(trainable, per channel, non-trainable, per channel), from builds on 1 and 3 channels."""
    counts = []
    for channels in (1, 3):
        network = build(name, channels)
        counts.append((_count(network.trainable_weights), _count(network.non_trainable_weights)))
    (t1, n1), (t3, n3) = counts
    per_t, per_n = (t3 - t1) // 2, (n3 - n1) // 2
    return t1 - per_t, per_t, n1 - per_n, per_n


def block_trainable(network: Any, name: str) -> list[int]:
    """Trainable weights of the stem (index 0) and of each block, as built (all trainable)."""
    counts = [0] * (len(BLOCK_NAMES[name]) + 1)
    index = block_index(network, name)
    for layer in network.layers:
        counts[index[layer.name]] += _count(layer.trainable_weights)
    return counts


def block_rows(name: str) -> tuple[int, list[int]]:
    """(block holding the first convolution, per-block counts without its per-channel part)."""
    one, three = block_trainable(build(name, 1), name), block_trainable(build(name, 3), name)
    differing = [i for i, (a, b) in enumerate(zip(one, three, strict=True)) if a != b]
    assert len(differing) == 1, f"{name}: input channels reach blocks {differing}"
    first = differing[0]
    per_channel = (three[first] - one[first]) // 2
    one[first] -= per_channel
    return first, one[1:]


def render_block_table() -> str:
    lines = [HEADER]
    for name, blocks in BLOCK_NAMES.items():
        first, counts = block_rows(name)
        lines.append(f'    "{name}": BlockTable(\n        first_conv_block={first},\n')
        lines.append("        blocks=(\n")
        lines += [f'            ("{b}", {c}),\n' for b, c in zip(blocks, counts, strict=True)]
        lines.append("        ),\n    ),\n")
    lines.append("}\n")
    return "".join(lines)


HEADER = '''"""Per-block trainable weight counts of every backbone: generated, do not edit.

Written by ``.venv/bin/python -m worker.compiler.weight_table --write-blocks`` from Keras
builds (weights=None; the counts do not depend on the input size);
tests/worker/test_backbone_blocks.py checks it against Keras. What a block is, per
architecture, is documented in backend/graph/backbones.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BlockTable:
    """``blocks``: (name, trainable weights) in network order, the top counted in the last.

    The first convolution's per-input-channel weights are not in these counts; they belong
    to block ``first_conv_block`` (0 is the stem, before block 1).
    """

    first_conv_block: int
    blocks: tuple[tuple[str, int], ...]


BLOCK_TABLES: dict[str, BlockTable] = {
'''


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m worker.compiler.weight_table")
    parser.add_argument("--write-blocks", action="store_true", help=f"write {BLOCK_TABLE}")
    if parser.parse_args().write_blocks:
        BLOCK_TABLE.write_text(render_block_table())
        print(f"wrote {BLOCK_TABLE}")
        return
    for name in ARCHITECTURES:
        print(name, f"WeightCounts{weight_counts(name)}")


if __name__ == "__main__":
    main()
