"""Image checks done once at upload, so training never meets an unreadable file."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

from PIL import Image

from backend.errors import ProblemCollector


def check_images(
    root: Path, paths: list[str], max_pixels: int, problems: ProblemCollector
) -> dict[str, dict[str, int]]:
    """Opens every image fully; returns counts of sizes and modes for the report."""
    sizes: Counter[str] = Counter()
    modes: Counter[str] = Counter()
    for path in paths:
        try:
            width, height, mode = _inspect(root / path, max_pixels)
        except _TooLarge as exc:
            problems.add(["file", path], str(exc))
            continue
        except Exception as exc:  # Pillow raises many types for broken files
            problems.add(["file", path], f"is not a readable image ({type(exc).__name__}: {exc})")
            continue
        sizes[f"{width}x{height}"] += 1
        modes[mode] += 1
    return {"sizes": dict(sizes.most_common()), "modes": dict(modes.most_common())}


class _TooLarge(Exception):
    pass


def _inspect(path: Path, max_pixels: int) -> tuple[int, int, str]:
    with Image.open(path) as image:
        width, height = image.size
        if width * height > max_pixels:
            raise _TooLarge(
                f"is {width}x{height} pixels; the limit is {max_pixels} pixels "
                "(DLSTUDIO_MAX_IMAGE_PIXELS)"
            )
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()  # decodes every pixel: catches truncated files verify() misses
        return width, height, image.mode
