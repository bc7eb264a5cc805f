"""``trainable: "last_blocks"``: the API's pure-Python counts equal Keras's for every backbone.

Each backbone is compiled once (weights none, its smallest input); the other block counts
re-freeze the same network with the worker's own freezing function, so the test checks the
generated block table, the freezing and the counting without ten more builds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from backend.graph.backbone_blocks import BLOCK_TABLES
from backend.graph.backbones import BACKBONES
from backend.graph.params import ParamCount
from backend.graph.validate import validate_graph
from tests.worker.graphs import chain_dict, node
from tests.worker.test_shape_agreement import keras_params
from worker.compiler import compile_graph
from worker.compiler.backbone_blocks import BLOCK_NAMES, freeze_before_last_blocks
from worker.compiler.weight_table import block_trainable

# Grey input where the first convolution sits in block 1 (its count then depends on it).
CHANNELS = {"VGG16": 1, "Xception": 1, "MobileNetV2": 1}


def backbone_graph(name: str, blocks: int) -> dict[str, Any]:
    size = BACKBONES[name].min_size
    return chain_dict(
        node("input", "Input", height=size, width=size, channels=CHANNELS.get(name, 3)),
        node("backbone", "Backbone", architecture=name, weights="none",
             trainable="last_blocks", trainable_blocks=blocks),
        node("pool", "GlobalAveragePooling2D"),
        node("out", "Dense", units=3, activation="softmax"),
    )


def _count(weights: list[Any]) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def _assert_counts(model: Any, name: str, blocks: int) -> None:
    validated = validate_graph(backbone_graph(name, blocks))
    assert validated.params["backbone"] == keras_params(model, "backbone"), f"{name} N={blocks}"
    totals = ParamCount(_count(model.trainable_weights), _count(model.non_trainable_weights))
    assert validated.total_params == totals


def test_the_worker_and_the_api_name_the_same_blocks() -> None:
    assert {n: tuple(b for b, _ in t.blocks) for n, t in BLOCK_TABLES.items()} == BLOCK_NAMES
    assert set(BLOCK_TABLES) == set(BACKBONES)


@pytest.mark.parametrize("name", list(BACKBONES))
def test_last_blocks_counts_agree(name: str) -> None:
    model = compile_graph(validate_graph(backbone_graph(name, 1)).spec)
    _assert_counts(model, name, 1)
    network = model.get_layer("backbone")
    for layer in network.layers:
        layer.trainable = True
    # The table, as Keras counts it now (each block has weights; the top is in the last).
    table = BLOCK_TABLES[name]
    per_block = block_trainable(network, name)
    per_channel = BACKBONES[name].weights.trainable_per_channel * CHANNELS.get(name, 3)
    expected = [count for _, count in table.blocks]
    if table.first_conv_block > 0:
        expected[table.first_conv_block - 1] += per_channel
    assert per_block[1:] == expected
    assert all(count > 0 for count in per_block[1:])
    block_count = len(table.blocks)
    for blocks in (2, block_count):
        for layer in network.layers:
            layer.trainable = True
        freeze_before_last_blocks(network, name, blocks)
        _assert_counts(model, name, blocks)


def test_frozen_batch_norms_keep_their_statistics_while_the_last_blocks_learn() -> None:
    model = compile_graph(validate_graph(backbone_graph("MobileNetV2", 2)).spec)
    network = model.get_layer("backbone")
    frozen, trained = network.get_layer("block_1_expand_BN"), network.get_layer("Conv_1_bn")
    before = [np.array(bn.moving_mean) for bn in (frozen, trained)]
    images = np.random.default_rng(0).uniform(0, 255, (4, 32, 32, 1)).astype("float32")
    model(images, training=True)
    assert np.array_equal(np.array(frozen.moving_mean), before[0])
    assert not np.array_equal(np.array(trained.moving_mean), before[1])
