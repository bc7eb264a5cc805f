"""One recording through the whole recipe: the same code at conversion and at prediction time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from backend.audio_recipe import SpectrogramRecipe
from worker.audio.io import load_audio
from worker.audio.segments import Segment, cut_segments
from worker.audio.spectrogram import render, render_indexed
from worker.audio.vad import keep_voiced


@dataclass(frozen=True)
class RenderedRecording:
    duration_s: float
    kept_fraction: float  # share of the recording the VAD kept as voiced
    segments: list[Segment]
    images: list[Image.Image]


def render_recording(
    path: str | Path, recipe: SpectrogramRecipe, indexed: bool = False
) -> RenderedRecording:
    """Load, keep voiced parts, cut, render; raises AudioError naming an unreadable file.
    `indexed` gives palette images (for writing PNGs); otherwise RGB, or L for gray."""
    audio = load_audio(path, recipe.sample_rate)
    voiced = keep_voiced(audio, recipe.sample_rate, recipe.vad)
    segments = cut_segments(voiced, recipe.segment)
    draw = render_indexed if indexed else render
    images = [draw(segment.audio, recipe) for segment in segments]
    return RenderedRecording(
        len(audio) / recipe.sample_rate, voiced.kept_fraction, segments, images
    )
