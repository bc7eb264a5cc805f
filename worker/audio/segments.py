"""Cut voiced audio into fixed-length segments with a hop (or keep it whole)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backend.audio_recipe import SegmentRecipe
from worker.audio.vad import VoicedAudio


@dataclass(frozen=True)
class Segment:
    index: int
    audio: np.ndarray
    start_s: float  # where the segment starts in the source recording
    end_s: float  # where it ends there (it may span a removed pause)


def segment_bounds(total: int, sample_rate: int, recipe: SegmentRecipe) -> list[tuple[int, int]]:
    """Sample ranges [start, stop): full windows every hop, then one tail if long enough."""
    shortest = round(recipe.min_length_s * sample_rate)
    if recipe.length_s is None:
        return [(0, total)] if total > 0 and total >= shortest else []
    length = round(recipe.length_s * sample_rate)
    hop = round((recipe.hop_s or recipe.length_s) * sample_rate)
    bounds = []
    start = 0
    while start < total:
        stop = min(start + length, total)
        if stop - start == length:
            bounds.append((start, stop))
        elif stop - start >= max(shortest, 1):
            # Only the first short tail: later ones are contained in it.
            bounds.append((start, stop))
            break
        else:
            break
        if stop == total:
            break
        start += hop
    return bounds


def cut_segments(voiced: VoicedAudio, recipe: SegmentRecipe) -> list[Segment]:
    segments = []
    for index, (start, stop) in enumerate(
        segment_bounds(len(voiced.audio), voiced.sample_rate, recipe)
    ):
        start_s, end_s = voiced.source_span(start, stop)
        segments.append(Segment(index, voiced.audio[start:stop], start_s, end_s))
    return segments
