"""Images from a stored dataset as batches: Pillow + numpy behind a keras PyDataset.

No tf.data: the same pipeline feeds the torch and jax backends, where
TensorFlow is not installed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np
from PIL import Image, UnidentifiedImageError

from backend.errors import DLStudioError, Problem
from worker.training.cache import PixelCache, default_cache_root, open_or_build

PIL_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


class DataError(DLStudioError):
    status_code = 422
    code = "data_error"


@dataclass(frozen=True)
class Example:
    path: Path
    relative_path: str  # as stored, for messages the user can match to their upload
    label: int
    item_id: int | None = None  # the dataset item, for the split stored on the run


@dataclass(frozen=True)
class ImageShape:
    height: int
    width: int
    channels: int


def stratified_split(
    examples: Sequence[Example], fraction: float, seed: int
) -> tuple[list[Example], list[Example]]:
    """Hold out ``fraction`` of each class: the same split for the same seed.

    A class with two or more items always gives at least one to validation (so
    every class shows in the validation curve) and keeps at least one to train.
    """
    by_class: dict[int, list[Example]] = defaultdict(list)
    for example in examples:
        by_class[example.label].append(example)
    rng = np.random.default_rng(seed)
    train: list[Example] = []
    validation: list[Example] = []
    for label in sorted(by_class):
        members = by_class[label]
        order = rng.permutation(len(members))
        n_val = _validation_count(len(members), fraction)
        validation.extend(members[i] for i in order[:n_val])
        train.extend(members[i] for i in order[n_val:])
    return train, validation


@dataclass(frozen=True)
class SplitExamples:
    train: list[Example]
    validation: list[Example]
    test: list[Example]


def assigned_split(examples: Sequence[Example], assignment: dict[str, Any]) -> SplitExamples:
    """The parts the API computed and audited when the run was created, item for item."""
    by_id = {e.item_id: e for e in examples}
    parts: dict[str, list[Example]] = {}
    for part in ("train", "validation", "test"):
        ids = assignment.get(part) or []
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise DataError(
                f"The run's stored split names {len(missing)} item(s) the dataset no longer "
                f"has (e.g. item {missing[0]}); start a new run"
            )
        parts[part] = [by_id[i] for i in ids]
    if not parts["train"]:
        raise DataError("The run's stored split has no training items")
    return SplitExamples(parts["train"], parts["validation"], parts["test"])


def _validation_count(n: int, fraction: float) -> int:
    if fraction <= 0 or n < 2:
        return 0
    return min(n - 1, max(1, round(n * fraction)))


def load_image(example: Example, shape: ImageShape) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Pixels as float32 0-255, resized to the Input node; preprocessing is in the model."""
    try:
        with Image.open(example.path) as image:
            mode, size = PIL_MODES[shape.channels], (shape.width, shape.height)
            # Most uploads are already the model's size and mode: skip needless copies.
            converted = image if image.mode == mode else image.convert(mode)
            resized = converted if converted.size == size else converted.resize(
                size, Image.Resampling.BILINEAR
            )
            pixels = np.asarray(resized, dtype=np.float32)  # decodes while the file is open
    except FileNotFoundError as exc:
        raise missing_files_error([example.relative_path]) from exc
    except (OSError, ValueError) as exc:
        # Pillow's own text carries the absolute storage path; the user knows the upload's.
        reason = "not an image file" if isinstance(exc, UnidentifiedImageError) else str(exc)
        message = f"Could not read image '{example.relative_path}': {reason}"
        problem = Problem(("file", example.relative_path), reason)
        raise DataError(message, [problem]) from exc
    return pixels.reshape(shape.height, shape.width, shape.channels)


def missing_files_error(relative_paths: Sequence[str]) -> DataError:
    shown = ", ".join(f"'{p}'" for p in relative_paths[:5])
    more = f" and {len(relative_paths) - 5} more" if len(relative_paths) > 5 else ""
    problems = [Problem(("file", p), f"{p} is missing") for p in relative_paths]
    return DataError(
        f"The dataset's stored files are incomplete: missing {shown}{more}. "
        "Upload the dataset again.",
        problems,
    )


class ImageBatches(keras.utils.PyDataset):  # type: ignore[misc]
    """Batches of (images, one-hot labels); reshuffled after every epoch when training.

    Pixels come from the decoded-pixel cache (cache.py) when there is one: decoded
    once per dataset and input size, then read from a memory-mapped array, so later
    epochs and later runs never decode again. ``cache``: a cache root, True for the
    storage's own (only for files inside the storage), False to decode every batch.
    Augmentation is not done here: it is in the model, as training-only layers.
    """

    def __init__(
        self, examples: Sequence[Example], num_classes: int, shape: ImageShape,
        batch_size: int, *, shuffle: bool, seed: int, cache: Path | bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)  # workers / max_queue_size: Keras's own prefetching
        self.examples = list(examples)
        self.num_classes = num_classes
        self.shape = shape
        self.batch_size = batch_size
        self.shuffle = shuffle
        self._rng = np.random.default_rng(seed)
        self._order = np.arange(len(self.examples))
        self._labels = np.array([e.label for e in self.examples], dtype=np.intp)
        # Keras may wrap an exception from __getitem__ (tf.data turns it into an
        # opaque op error); the job reads the original from here.
        self.error: Exception | None = None
        self.pixels: PixelCache | None = None
        self._rows = np.zeros(0, dtype=np.intp)
        if shuffle:
            self._rng.shuffle(self._order)
        self._open_cache(cache)

    @property
    def decoded(self) -> int:
        """Images decoded to build the cache (0 when it was already there)."""
        return self.pixels.decoded if self.pixels is not None else 0

    def _open_cache(self, cache: Path | bool) -> None:
        root = default_cache_root(self.examples) if cache is True else cache or None
        if root is None or not self.examples:
            return
        try:
            self.pixels = open_or_build(root, self.examples, self.shape, load_image)
        except Exception as exc:
            self.error = exc
            raise
        self._rows = self.pixels.rows(self.examples)

    def __len__(self) -> int:
        return math.ceil(len(self.examples) / self.batch_size)

    def __getitem__(self, index: int) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        batch = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        try:
            images = self._images(batch)
        except Exception as exc:
            self.error = exc
            raise
        labels = np.zeros((len(batch), self.num_classes), dtype=np.float32)
        labels[np.arange(len(batch)), self._labels[batch]] = 1.0
        return images, labels

    def _images(self, batch: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        if self.pixels is not None:
            rows: np.ndarray[Any, Any] = self.pixels.pixels[self._rows[batch]]
            return rows.astype(np.float32)
        return np.stack([load_image(self.examples[i], self.shape) for i in batch])

    def on_epoch_end(self) -> None:
        if self.shuffle:
            self._rng.shuffle(self._order)

    # The shuffle state a checkpoint keeps, so a resumed run sees the same orders.
    def shuffle_state(self) -> tuple[dict[str, Any], list[int]]:
        """The shuffler and the current epoch's order (JSON-ready)."""
        return dict(self._rng.bit_generator.state), [int(i) for i in self._order]

    def restore_shuffle_state(self, rng: dict[str, Any], order: Sequence[int]) -> bool:
        """Sets the shuffler and order saved by ``shuffle_state``; False (and nothing
        changed) when the order is for a different number of examples."""
        if len(order) != len(self.examples):
            return False
        self._rng.bit_generator.state = rng
        self._order = np.asarray(order, dtype=np.intp)
        return True
