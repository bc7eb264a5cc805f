"""Decoded pixels on disk: each image is decoded and resized once per input size.

Layout: ``<storage>/cache/pixels/<dataset folder key>/<H>x<W>x<C>/<entry>/`` holding
``pixels.npy`` (uint8, one row per image, opened memory-mapped) and ``index.json``
(each row's relative path, size and modification time). Entries are keyed by the
dataset's folder, not its labels, so a version derived from it (relabelled, the
same files) reuses the pixels; a changed file fails the size/time match and is
decoded again. A request for files no entry holds (the validation part after the
training part, another split in a later run) builds a new entry from the largest
one's rows plus the new files, and deletes the one it supersedes.

A builder writes into a private temporary folder and renames it into place; a
folder rename is atomic and refuses to replace a non-empty folder, so of two
workers building the same entry at once, one wins, the other drops its copy and
reads the winner's, and no reader ever sees a half-written array.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from worker.training.data import Example, ImageShape

PIXELS = "pixels.npy"
INDEX = "index.json"
CACHE_VERSION = 1  # bump when the decoding changes: old entries are then ignored

Decoder = Callable[["Example", "ImageShape"], np.ndarray[Any, Any]]


class PixelCache:
    """One entry, open: ``rows(examples)`` maps examples to rows of ``pixels``."""

    def __init__(self, folder: Path, pixels: np.ndarray[Any, Any], paths: list[str],
                 decoded: int) -> None:
        self.folder = folder
        self.pixels = pixels  # memory-mapped, read-only
        self.row_of = {path: row for row, path in enumerate(paths)}
        self.decoded = decoded  # images this process decoded to build it (0: reused)

    def rows(self, examples: Sequence[Example]) -> np.ndarray[Any, np.dtype[np.intp]]:
        return np.array([self.row_of[e.relative_path] for e in examples], dtype=np.intp)


def default_cache_root(examples: Sequence[Example]) -> Path | None:
    """``<storage>/cache`` when every example lies in the configured storage (a stored
    dataset); None otherwise (files elsewhere are not ours to cache beside)."""
    from backend.settings import get_settings

    storage = get_settings().resolved_storage_dir.resolve()
    if examples and all(e.path.resolve().is_relative_to(storage) for e in examples):
        return storage / "cache"
    return None


def entry_group(root: Path, examples: Sequence[Example], shape: ImageShape) -> Path:
    """Where the entries for these examples' dataset folder at this size live."""
    folders = sorted({str(e.path)[: -len(e.relative_path)] for e in examples})
    key = hashlib.sha256(f"v{CACHE_VERSION}\0{chr(0).join(folders)}".encode()).hexdigest()[:24]
    return root / "pixels" / key / f"{shape.height}x{shape.width}x{shape.channels}"


def open_or_build(
    root: Path, examples: Sequence[Example], shape: ImageShape, decode: Decoder,
    threads: int | None = None,
) -> PixelCache:
    """An entry holding these files at this size; decodes (in parallel) those no entry
    holds yet, into a new entry that also takes over the largest existing one's rows, so
    the validation part, or a later run's other split, adds to the cache."""
    group = entry_group(root, examples, shape)
    wanted = {e.relative_path: _signature(e) for e in examples}
    for _ in range(3):  # an entry superseded (deleted) between listing and opening: retry
        try:
            found, base = _lookup(group, wanted)
            if found is not None:
                return found
            return _build(group, examples, wanted, base, shape, decode, threads)
        except FileNotFoundError:
            continue
    raise RuntimeError(f"The pixel cache under {group} keeps changing; try again")


def _signature(example: Example) -> list[Any]:
    stat = example.path.stat()
    return [example.relative_path, stat.st_size, stat.st_mtime_ns]


def _lookup(group: Path, wanted: dict[str, list[Any]]) -> tuple[PixelCache | None, Path | None]:
    """An entry covering ``wanted`` (file unchanged), else the largest entry to extend."""
    base, base_size = None, -1
    for folder in sorted(group.glob("[!.]*")):
        files = {f[0]: f for f in json.loads((folder / INDEX).read_text())["files"]}
        if all(files.get(path) == signature for path, signature in wanted.items()):
            return _open(folder, 0), None
        if len(files) > base_size:
            base, base_size = folder, len(files)
    return None, base


def _build(
    group: Path, examples: Sequence[Example], wanted: dict[str, list[Any]],
    base: Path | None, shape: ImageShape, decode: Decoder, threads: int | None,
) -> PixelCache:
    kept = _still_valid(base, examples[0], wanted) if base is not None else {}
    new = sorted((e for e in examples if e.relative_path not in kept),
                 key=lambda e: e.relative_path)
    files = sorted([*kept.values(), *(wanted[e.relative_path] for e in new)])
    name = hashlib.sha256(json.dumps(files).encode()).hexdigest()[:24]
    folder = group / name
    temporary = group / f".build-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    temporary.mkdir(parents=True)
    try:
        _write(temporary, files, new, base, shape, decode, threads)
        try:
            os.rename(temporary, folder)
        except OSError:
            if not (folder / INDEX).is_file():
                raise  # not a lost race: a real failure
            # Another worker finished the same entry first: use theirs.
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    if base is not None and base != folder:
        # Every row it held is in the new entry. Processes reading it keep their
        # mapping (the file lives on until unmapped); a lookup racing this retries.
        shutil.rmtree(base, ignore_errors=True)
    return _open(folder, len(new))


def _still_valid(base: Path, example: Example, wanted: dict[str, list[Any]]) -> dict[str, Any]:
    """The base entry's files that are unchanged on disk, by relative path."""
    folder_root = Path(str(example.path)[: -len(example.relative_path)])
    kept = {}
    for signature in json.loads((base / INDEX).read_text())["files"]:
        path = signature[0]
        current = wanted.get(path)
        if current is None:
            try:
                stat = (folder_root / path).stat()
            except OSError:
                continue  # the file is gone: drop its row
            current = [path, stat.st_size, stat.st_mtime_ns]
        if current == signature:
            kept[path] = signature
    return kept


def _write(
    folder: Path, files: list[list[Any]], new: list[Example], base: Path | None,
    shape: ImageShape, decode: Decoder, threads: int | None,
) -> None:
    pixels = np.lib.format.open_memmap(
        folder / PIXELS, mode="w+", dtype=np.uint8,
        shape=(len(files), shape.height, shape.width, shape.channels),
    )
    row = {f[0]: i for i, f in enumerate(files)}
    if base is not None:  # rows the base entry holds: copied, not decoded again
        old, decoding = _open(base, 0), {e.relative_path for e in new}
        for path, old_row in old.row_of.items():
            if path in row and path not in decoding:
                pixels[row[path]] = old.pixels[old_row]

    def fill(example: Example) -> None:
        # Pillow releases the GIL while it decodes and resizes: threads run in parallel.
        pixels[row[example.relative_path]] = decode(example, shape)

    workers = threads or min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(fill, new))  # list(): re-raises the first error
    pixels.flush()
    # The index is written last, and the folder renamed after: an entry is complete.
    (folder / INDEX).write_text(json.dumps({"version": CACHE_VERSION, "files": files}))


def _open(folder: Path, decoded: int) -> PixelCache:
    index = json.loads((folder / INDEX).read_text())
    pixels = np.load(folder / PIXELS, mmap_mode="r")
    return PixelCache(folder, pixels, [f[0] for f in index["files"]], decoded)
