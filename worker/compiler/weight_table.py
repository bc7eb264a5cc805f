"""Prints the backbone weight counts that backend/graph/backbones.py encodes.

Run ``.venv/bin/python -m worker.compiler.weight_table`` after a Keras upgrade
and paste any changed numbers into ``BACKBONES`` (the agreement test,
tests/worker/test_shape_agreement.py, fails until they match).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from worker.compiler.backbones import ARCHITECTURES


def _count(weights: list[Any]) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def weight_counts(name: str) -> tuple[int, int, int, int]:
    """(trainable, per channel, non-trainable, per channel), from builds on 1 and 3 channels."""
    counts = []
    for channels in (1, 3):
        network = ARCHITECTURES[name].factory(
            include_top=False, weights=None, input_shape=(96, 96, channels)
        )
        counts.append((_count(network.trainable_weights), _count(network.non_trainable_weights)))
    (t1, n1), (t3, n3) = counts
    per_t, per_n = (t3 - t1) // 2, (n3 - n1) // 2
    return t1 - per_t, per_t, n1 - per_n, per_n


def main() -> None:
    for name in ARCHITECTURES:
        print(name, f"WeightCounts{weight_counts(name)}")


if __name__ == "__main__":
    main()
