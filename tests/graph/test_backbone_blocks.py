"""``trainable: "last_blocks"`` and ``weights: "file"`` in the pure-Python tiers (no Keras).

tests/worker/test_backbone_blocks.py holds the counts to Keras; these pin the rules a user
meets on the canvas: the cross-field messages and where they point.
"""

from __future__ import annotations

from typing import Any

import pytest

from backend.errors import InvalidInput
from backend.graph.backbone_blocks import BLOCK_TABLES
from backend.graph.catalogue import layers
from backend.graph.params import ParamCount
from backend.graph.validate import validate_graph
from tests.worker.graphs import chain_dict, node

BLOCKS_LOC = ("graph", "nodes", "b", "params", "trainable_blocks")


def document(architecture: str = "ResNet50", channels: int = 3, **params: Any) -> Any:
    return chain_dict(
        node("input", "Input", height=96, width=96, channels=channels),
        node("b", "Backbone", architecture=architecture, weights="none", **params),
    )


def problems(doc: Any) -> dict[tuple[object, ...], str]:
    with pytest.raises(InvalidInput) as caught:
        validate_graph(doc)
    return {p.loc: p.message for p in caught.value.problems}


def counts(architecture: str = "ResNet50", channels: int = 3, **params: Any) -> ParamCount:
    return validate_graph(document(architecture, channels, **params)).params["b"]


@pytest.mark.parametrize("blocks", [0, 17, None])
def test_block_count_out_of_range_names_the_parameter(blocks: int | None) -> None:
    message = problems(document(trainable="last_blocks", trainable_blocks=blocks))[BLOCKS_LOC]
    assert message == "ResNet50 has 16 blocks; trainable_blocks must be between 1 and 16"


def test_block_count_is_per_architecture() -> None:
    message = problems(document("VGG16", trainable="last_blocks", trainable_blocks=6))[BLOCKS_LOC]
    assert message == "VGG16 has 5 blocks; trainable_blocks must be between 1 and 5"


def test_trainable_blocks_only_with_last_blocks() -> None:
    message = problems(document(trainable="all", trainable_blocks=2))[BLOCKS_LOC]
    assert "only used with trainable 'last_blocks'" in message


def test_last_blocks_counts_sit_between_frozen_and_all() -> None:
    everything, frozen = counts(trainable="all"), counts(trainable="frozen")
    last = [counts(trainable="last_blocks", trainable_blocks=n) for n in (1, 2, 16)]
    assert 0 < last[0].trainable < last[1].trainable < last[2].trainable < everything.trainable
    assert all(c.total == everything.total == frozen.total for c in last)
    # conv5_block3 alone: Keras's 4,465,664 (three convs and their BatchNorms' gamma/beta).
    assert last[0] == ParamCount(4_465_664, everything.total - 4_465_664)


def test_the_first_convolution_counts_when_its_block_trains() -> None:
    # VGG16 has no stem: block1 holds the first convolution, 3x3 x channels x 64.
    grey = counts("VGG16", 1, trainable="last_blocks", trainable_blocks=5)
    rgb = counts("VGG16", 3, trainable="last_blocks", trainable_blocks=5)
    assert rgb.trainable - grey.trainable == 2 * 9 * 64
    assert rgb == counts("VGG16", 3, trainable="all")
    grey, rgb = (counts("VGG16", c, trainable="last_blocks", trainable_blocks=4) for c in (1, 3))
    assert grey.trainable == rgb.trainable


def test_every_architecture_has_blocks_and_the_canvas_offers_the_new_settings() -> None:
    assert all(len(table.blocks) >= 5 for table in BLOCK_TABLES.values())
    backbone = next(layer for layer in layers() if layer["type"] == "Backbone")
    properties = backbone["params_schema"]["properties"]
    assert "last_blocks" in properties["trainable"]["enum"]
    assert "file" in properties["weights"]["enum"]
    assert {"trainable_blocks", "weights_file"} <= set(properties)
    assert backbone["defaults"]["trainable_blocks"] is None
