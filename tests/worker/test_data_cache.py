"""The decoded-pixel cache: decode once, same batches as decoding, safe to build twice at once."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from worker.training.cache import PIXELS, entry_group, open_or_build
from worker.training.data import (
    DataError,
    Example,
    ImageBatches,
    ImageShape,
    load_image,
)
from worker.training.losses import IntegerLabelBatches


def dataset(folder: Path, count: int = 10) -> list[Example]:
    """PNGs of mixed sizes and modes, so the cache must resize and convert."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    examples = []
    for i in range(count):
        size = (12, 9) if i % 2 else (8, 8)
        pixels = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
        image = Image.fromarray(pixels).convert("L" if i % 3 == 0 else "RGB")
        image.save(folder / f"{i}.png")
        examples.append(Example(folder / f"{i}.png", f"{i}.png", i % 3, item_id=100 + i))
    return examples


def all_batches(batches: ImageBatches) -> list[tuple[np.ndarray, np.ndarray]]:
    return [batches[i] for i in range(len(batches))]


@pytest.mark.parametrize("channels", [1, 3])
def test_cached_batches_equal_decoded_ones(tmp_path: Path, channels: int) -> None:
    items = dataset(tmp_path / "data")
    shape = ImageShape(8, 8, channels)
    direct = ImageBatches(items, 3, shape, 4, shuffle=True, seed=1, cache=False)
    cached = ImageBatches(items, 3, shape, 4, shuffle=True, seed=1, cache=tmp_path / "cache")
    assert direct.pixels is None and cached.pixels is not None
    for _ in range(2):  # two epochs: the same reshuffles read the same rows
        for (a, la), (b, lb) in zip(all_batches(direct), all_batches(cached), strict=True):
            assert a.dtype == b.dtype == np.float32
            np.testing.assert_array_equal(a, b)
            np.testing.assert_array_equal(la, lb)
        direct.on_epoch_end()
        cached.on_epoch_end()


def test_the_cache_is_built_once_and_reused_by_later_runs(tmp_path: Path) -> None:
    items = dataset(tmp_path / "data")
    shape = ImageShape(8, 8, 3)
    first = ImageBatches(items, 3, shape, 4, shuffle=True, seed=0, cache=tmp_path / "cache")
    assert first.decoded == len(items)
    array = first.pixels.folder / PIXELS  # type: ignore[union-attr]
    written = array.stat().st_mtime_ns
    # A later run: the validation part of the same files, and the sparse-label batches.
    later = IntegerLabelBatches(items[:4], 3, shape, 2, shuffle=False, seed=0,
                                cache=tmp_path / "cache")
    assert later.decoded == 0 and array.stat().st_mtime_ns == written
    images, labels = later[1]
    np.testing.assert_array_equal(images[0], load_image(items[2], shape))
    assert labels.tolist() == [2, 0]
    # Another input size is another entry; a changed file makes a new key.
    assert ImageBatches(items, 3, ImageShape(6, 6, 3), 4, shuffle=False, seed=0,
                        cache=tmp_path / "cache").decoded == len(items)
    Image.new("RGB", (8, 8), (1, 2, 3)).save(items[0].path)
    changed = ImageBatches(items, 3, shape, 10, shuffle=False, seed=0, cache=tmp_path / "cache")
    assert changed.decoded == 1  # only the changed file; the others' rows are copied
    np.testing.assert_array_equal(changed[0][0][0, 0, 0], [1, 2, 3])


def test_two_builders_at_once_leave_one_whole_entry(tmp_path: Path) -> None:
    items = dataset(tmp_path / "data", count=24)
    shape = ImageShape(8, 8, 3)
    both_building = threading.Barrier(2, timeout=30)
    started: set[int] = set()

    def decode(example: Example, size: ImageShape) -> np.ndarray:
        if threading.get_ident() not in started:  # each builder's one decoding thread
            started.add(threading.get_ident())
            both_building.wait()  # neither finishes before the other has begun
        return load_image(example, size)

    results = []

    def build() -> None:
        results.append(open_or_build(tmp_path / "cache", items, shape, decode, threads=1))

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and len(started) == 2  # both really decoded
    group = entry_group(tmp_path / "cache", items, shape)
    assert len(list(group.iterdir())) == 1  # one entry, no temporaries left
    expected = np.stack([load_image(e, shape) for e in items])
    for cache in results:
        np.testing.assert_array_equal(cache.pixels[cache.rows(items)], expected)


def test_a_broken_file_fails_the_build_by_name_and_leaves_no_entry(tmp_path: Path) -> None:
    items = dataset(tmp_path / "data", count=3)
    (tmp_path / "data" / "1.png").write_bytes(b"not a png")
    with pytest.raises(DataError, match=r"1\.png"):
        ImageBatches(items, 3, ImageShape(8, 8, 3), 2, shuffle=False, seed=0,
                     cache=tmp_path / "cache")
    assert list((tmp_path / "cache").rglob(PIXELS)) == []


def test_files_outside_the_storage_are_not_cached_by_default(tmp_path: Path) -> None:
    items = dataset(tmp_path / "elsewhere", count=2)
    batches = ImageBatches(items, 3, ImageShape(8, 8, 3), 2, shuffle=False, seed=0)
    assert batches.pixels is None and batches[0][0].shape == (2, 8, 8, 3)


def test_shuffle_state_restores_the_next_epochs_order(tmp_path: Path) -> None:
    items = dataset(tmp_path / "data", count=12)
    shape = ImageShape(8, 8, 3)
    batches = ImageBatches(items, 3, shape, 12, shuffle=True, seed=3, cache=False)
    batches.on_epoch_end()
    rng, order = batches.shuffle_state()
    batches.on_epoch_end()
    expected = batches[0][1]
    fresh = ImageBatches(items, 3, shape, 12, shuffle=True, seed=99, cache=False)
    assert not fresh.restore_shuffle_state(rng, order[:5])  # another split: refused
    assert fresh.restore_shuffle_state(rng, order)
    fresh.on_epoch_end()
    np.testing.assert_array_equal(fresh[0][1], expected)


def test_the_validation_part_extends_the_entry_and_another_split_decodes_nothing(
    tmp_path: Path,
) -> None:
    items = dataset(tmp_path / "data", count=12)
    shape, cache = ImageShape(8, 8, 3), tmp_path / "cache"
    train = ImageBatches(items[:9], 3, shape, 4, shuffle=True, seed=0, cache=cache)
    validation = ImageBatches(items[9:], 3, shape, 4, shuffle=False, seed=0, cache=cache)
    assert (train.decoded, validation.decoded) == (9, 3)
    group = entry_group(cache, items, shape)
    assert len(list(group.iterdir())) == 1  # the training-only entry was superseded
    other_split = ImageBatches(items[3:], 3, shape, 4, shuffle=True, seed=1, cache=cache)
    assert other_split.decoded == 0
    np.testing.assert_array_equal(  # the first entry's rows, read after it was deleted
        train[0][0], ImageBatches(items[:9], 3, shape, 4, shuffle=True, seed=0,
                                  cache=False)[0][0])
