"""Uploaded files as model inputs, preprocessed exactly as training preprocessed its images.

Images go through training's own `load_image`. A recording is rendered with the dataset's
stored recipe by the conversion's own `render_recording` (same VAD, same segments, same palette
image a PNG would hold), and each segment image gets the same convert-resize-float32 steps.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
from PIL import Image

from backend.audio_recipe import load_recipe
from backend.predict.inputs import member_kind
from worker.audio.pipeline import render_recording
from worker.training.data import PIL_MODES, Example, ImageShape, load_image

Pixels = np.ndarray[Any, np.dtype[np.float32]]


@dataclass
class Prepared:
    """One uploaded file: its model inputs (one per segment for a recording)."""

    name: str
    kind: str  # "image" or "audio"
    pixels: list[Pixels]
    spans: list[tuple[float, float]] = field(default_factory=list)  # segment start/end (s)
    durations: list[float] = field(default_factory=list)  # seconds of audio each segment shows


def pixels_of(image: Image.Image, shape: ImageShape) -> Pixels:
    """training.data.load_image's steps on an image already in memory."""
    mode, size = PIL_MODES[shape.channels], (shape.width, shape.height)
    converted = image if image.mode == mode else image.convert(mode)
    resized = (
        converted if converted.size == size else converted.resize(size, Image.Resampling.BILINEAR)
    )
    pixels = np.asarray(resized, dtype=np.float32)
    return pixels.reshape(shape.height, shape.width, shape.channels)


def prepare(path: Path, name: str, shape: ImageShape, recipe: dict[str, Any] | None) -> Prepared:
    """Raises DataError (image) or AudioError (recording) naming `name`."""
    if member_kind(name) == "image":
        return Prepared(name, "image", [load_image(Example(path, name, 0), shape)])
    parsed = load_recipe(recipe)
    rendered = render_recording(path, parsed, indexed=True)
    return Prepared(
        name, "audio", [pixels_of(image, shape) for image in rendered.images],
        [(s.start_s, s.end_s) for s in rendered.segments],
        [len(s.audio) / parsed.sample_rate for s in rendered.segments],
    )  # fmt: skip


def extract_members(archive_path: Path, into: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """The zip's image and audio members as (extracted file, name in the zip), in zip order,
    and the names of its other files. Members are written under numbered names, so no member
    name can point outside `into`."""
    found, ignored = [], []
    with zipfile.ZipFile(archive_path) as archive:
        for index, info in enumerate(archive.infolist()):
            name = info.filename
            if info.is_dir() or name.startswith("__MACOSX/"):
                continue
            if PurePosixPath(name).name.startswith("."):
                continue
            if member_kind(name) is None:
                ignored.append(name)
                continue
            target = into / f"{index:06d}{PurePosixPath(name).suffix.lower()}"
            with archive.open(info) as source, target.open("wb") as sink:
                while chunk := source.read(1 << 20):
                    sink.write(chunk)
            found.append((target, name))
    return found, ignored
