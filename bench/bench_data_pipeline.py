"""Training input pipeline throughput: ImageBatches (resize, convert, one-hot, batch) per epoch.

Baseline, in the same run on the same files: the bare minimum any pipeline must do,
Pillow decode + numpy conversion in a plain loop. Measured: ImageBatches decoding every
batch (cache=False), building the decoded-pixel cache (parallel decode, once per dataset
and size), and an epoch read from the memory-mapped cache. Prints images/s and ratios. Run:
    .venv/bin/python bench/bench_data_pipeline.py [--images 600] [--size 128]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def write_images(folder: Path, count: int, size: int) -> list[Path]:
    rng = np.random.default_rng(0)
    paths = []
    for index in range(count):
        # Spectrogram-like: smooth bands plus noise, saved as the 8-bit PNGs users upload.
        rows = np.linspace(0, 255, size)[:, None] * np.ones((1, size))
        pixels = (rows + rng.normal(0, 30, (size, size))).clip(0, 255).astype(np.uint8)
        path = folder / f"{index:05d}.png"
        Image.fromarray(np.stack([pixels] * 3, axis=-1)).save(path)
        paths.append(path)
    return paths


def baseline(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        with Image.open(path) as image:
            np.asarray(image.convert("RGB"), dtype=np.float32)
    return len(paths) / (time.perf_counter() - started)


def ours(paths: list[Path], size: int, batch_size: int, cache: Path | bool = False) -> float:
    from worker.training.data import Example, ImageBatches, ImageShape

    examples = [Example(path=p, relative_path=p.name, label=i % 3) for i, p in enumerate(paths)]
    batches = ImageBatches(examples, 3, ImageShape(size, size, 3), batch_size, shuffle=True,
                           seed=0, cache=cache)
    started = time.perf_counter()
    for index in range(len(batches)):
        batches[index]
    return len(paths) / (time.perf_counter() - started)


def cache_build(paths: list[Path], size: int, cache: Path) -> float:
    from worker.training.cache import open_or_build
    from worker.training.data import Example, ImageShape, load_image

    examples = [Example(path=p, relative_path=p.name, label=0) for p in paths]
    started = time.perf_counter()
    open_or_build(cache, examples, ImageShape(size, size, 3), load_image)
    return len(paths) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=600)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = write_images(Path(folder), args.images, args.size)
        baseline(paths)  # warm the page cache for both
        base = baseline(paths)
        mine = ours(paths, args.size, args.batch_size)
        built = cache_build(paths, args.size, Path(folder) / "cache")
        cached = ours(paths, args.size, args.batch_size, cache=Path(folder) / "cache")
    print(f"images: {args.images} PNG {args.size}x{args.size}, batch {args.batch_size}")
    print(f"baseline Pillow decode + numpy: {base:,.0f} images/s")
    print(f"dlstudio ImageBatches epoch:    {mine:,.0f} images/s")
    print(f"ratio: {mine / base:.2f} of the bare decode rate")
    print(f"cache build (parallel decode, {os.cpu_count()} cores): {built:,.0f} images/s "
          f"({built / base:.2f}x)")
    print(f"epoch from the memory-mapped cache: {cached:,.0f} images/s ({cached / base:.1f}x)")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
