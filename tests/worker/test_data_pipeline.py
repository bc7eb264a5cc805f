"""The image pipeline: a deterministic stratified split and correct batches."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from worker.training.data import DataError, Example, ImageBatches, ImageShape, stratified_split


def examples(counts: dict[int, int]) -> list[Example]:
    return [
        Example(Path(f"/x/{label}/{i}.png"), f"{label}/{i}.png", label)
        for label, count in counts.items()
        for i in range(count)
    ]


def test_split_is_stratified_and_repeatable() -> None:
    items = examples({0: 10, 1: 5, 2: 2, 3: 1})
    train, validation = stratified_split(items, 0.2, seed=3)
    assert Counter(e.label for e in validation) == {0: 2, 1: 1, 2: 1}
    assert Counter(e.label for e in train) == {0: 8, 1: 4, 2: 1, 3: 1}
    assert stratified_split(items, 0.2, seed=3) == (train, validation)
    assert stratified_split(items, 0.2, seed=4) != (train, validation)
    assert set(train).isdisjoint(validation)


def test_split_without_validation_keeps_everything_for_training() -> None:
    items = examples({0: 4, 1: 4})
    train, validation = stratified_split(items, 0.0, seed=0)
    assert sorted(train, key=str) == sorted(items, key=str) and validation == []


def write_images(folder: Path, colours: list[tuple[int, int, int]]) -> list[Example]:
    folder.mkdir(parents=True, exist_ok=True)
    result = []
    for i, colour in enumerate(colours):
        Image.new("RGB", (10, 6), colour).save(folder / f"{i}.png")
        result.append(Example(folder / f"{i}.png", f"{i}.png", i % 3))
    return result


def test_batches_resize_convert_and_one_hot(tmp_path: Path) -> None:
    items = write_images(tmp_path, [(255, 0, 0), (0, 255, 0), (0, 0, 255), (10, 20, 30)])
    batches = ImageBatches(items, 3, ImageShape(4, 5, 3), batch_size=3, shuffle=False, seed=0)
    assert len(batches) == 2
    images, labels = batches[0]
    assert images.shape == (3, 4, 5, 3) and images.dtype == np.float32
    np.testing.assert_array_equal(images[0, 0, 0], [255, 0, 0])  # 0-255: scaling is in the model
    np.testing.assert_array_equal(labels, np.eye(3, dtype=np.float32))
    last_images, last_labels = batches[1]
    assert last_images.shape == (1, 4, 5, 3) and last_labels.tolist() == [[1, 0, 0]]

    grey = ImageBatches(items, 3, ImageShape(4, 5, 1), batch_size=4, shuffle=False, seed=0)
    images, _ = grey[0]
    assert images.shape == (4, 4, 5, 1)
    assert images[0, 0, 0, 0] == pytest.approx(76, abs=1)  # ITU-R 601 luma of pure red


def test_training_batches_reshuffle_each_epoch_with_the_seed(tmp_path: Path) -> None:
    items = write_images(tmp_path, [(i * 10, 0, 0) for i in range(12)])

    def epoch_orders(seed: int) -> list[list[float]]:
        batches = ImageBatches(items, 3, ImageShape(2, 2, 3), 12, shuffle=True, seed=seed)
        orders = []
        for _ in range(3):
            orders.append(batches[0][0][:, 0, 0, 0].tolist())
            batches.on_epoch_end()
        return orders

    orders = epoch_orders(5)
    assert orders == epoch_orders(5)
    assert orders[0] != orders[1] != orders[2]
    assert all(sorted(order) == [i * 10.0 for i in range(12)] for order in orders)


def test_unreadable_image_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.png").write_bytes(b"not a png")
    items = [Example(tmp_path / "broken.png", "anger/broken.png", 0),
             Example(tmp_path / "gone.png", "anger/gone.png", 0)]
    for item in items:
        batches = ImageBatches([item], 1, ImageShape(2, 2, 3), 1, shuffle=False, seed=0)
        with pytest.raises(DataError) as caught:
            batches[0]
        assert item.relative_path in str(caught.value)
        assert batches.error is caught.value
