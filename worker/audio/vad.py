"""Keep the voiced parts of a recording, as the paper did, and remember where they came from.

WebRTC VAD (a GMM speech model) finds speech even under steady noise; it needs 16-bit mono PCM
at 8/16/32/48 kHz in 10/20/30 ms frames, so other rates are resampled for the decision only.
The energy method is the fallback (also used when `webrtcvad` is not installed): a frame is
voiced when its RMS level is within `energy_range_db` of the loudest frame and above -60 dBFS.
It needs nothing native but takes steady background noise for speech.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from backend.audio_recipe import VAD_RATES, VadRecipe
from worker.audio.io import resample

log = logging.getLogger(__name__)
ABSOLUTE_FLOOR_DB = -60.0
Region = tuple[int, int]


@dataclass(frozen=True)
class VoicedAudio:
    """The voiced parts joined end to end, with their sample ranges in the source."""

    audio: np.ndarray
    regions: tuple[Region, ...]
    sample_rate: int
    source_samples: int

    @property
    def kept_fraction(self) -> float:
        return len(self.audio) / self.source_samples if self.source_samples else 0.0

    def source_span(self, start: int, end: int) -> tuple[float, float]:
        """Seconds in the source of voiced samples [start, end); end maps from its last sample."""
        return self._source_sample(start) / self.sample_rate, (
            self._source_sample(end - 1) + 1
        ) / self.sample_rate

    def _source_sample(self, index: int) -> int:
        offset = 0
        for first, stop in self.regions:
            if index < offset + (stop - first):
                return first + index - offset
            offset += stop - first
        return self.regions[-1][1] if self.regions else index


def webrtc_flags(audio: np.ndarray, sample_rate: int, vad: VadRecipe) -> np.ndarray:
    """One speech/non-speech decision per `vad.frame_ms` frame."""
    import webrtcvad  # imported here so the energy fallback works without the wheel

    rate = sample_rate if sample_rate in VAD_RATES else 16000
    pcm = (np.clip(resample(audio, sample_rate, rate), -1.0, 1.0) * 32767).astype("<i2")
    frame = rate * vad.frame_ms // 1000
    detector = webrtcvad.Vad(vad.aggressiveness)
    count = len(pcm) // frame
    return np.array(
        [
            detector.is_speech(pcm[i * frame : (i + 1) * frame].tobytes(), rate)
            for i in range(count)
        ],
        dtype=bool,
    )


def energy_flags(audio: np.ndarray, sample_rate: int, vad: VadRecipe) -> np.ndarray:
    frame = sample_rate * vad.frame_ms // 1000
    count = len(audio) // frame
    if count == 0:
        return np.zeros(0, dtype=bool)
    frames = audio[: count * frame].reshape(count, frame).astype(np.float64)
    level = 10 * np.log10(np.maximum(np.mean(frames**2, axis=1), 1e-12))
    voiced: np.ndarray = (level > level.max() - vad.energy_range_db) & (level > ABSOLUTE_FLOOR_DB)
    return voiced


def frame_flags(audio: np.ndarray, sample_rate: int, vad: VadRecipe) -> np.ndarray:
    if vad.method == "webrtc":
        try:
            return webrtc_flags(audio, sample_rate, vad)
        except ImportError:
            log.warning("webrtcvad is not installed: using the energy threshold instead")
    return energy_flags(audio, sample_rate, vad)


def flags_to_regions(
    flags: np.ndarray, frame_samples: float, total: int, vad: VadRecipe, sample_rate: int
) -> list[Region]:
    """Voiced runs at least min_voiced_ms long, padded, clipped, and merged where they touch."""
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    pad = round(vad.padding_ms * sample_rate / 1000)
    shortest = vad.min_voiced_ms * sample_rate / 1000
    regions: list[Region] = []
    for first, stop in zip(starts, stops, strict=True):
        begin, end = round(first * frame_samples), round(stop * frame_samples)
        if end - begin < shortest:
            continue
        begin, end = max(0, begin - pad), min(total, end + pad)
        if regions and begin <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
        else:
            regions.append((begin, end))
    return regions


def keep_voiced(audio: np.ndarray, sample_rate: int, vad: VadRecipe) -> VoicedAudio:
    """The voiced audio (all of it when VAD is off) and where each part sat in the source."""
    total = len(audio)
    if not vad.enabled:
        return VoicedAudio(audio, ((0, total),), sample_rate, total)
    flags = frame_flags(audio, sample_rate, vad)
    frame_samples = vad.frame_ms * sample_rate / 1000
    regions = flags_to_regions(flags, frame_samples, total, vad, sample_rate)
    parts = [audio[first:stop] for first, stop in regions]
    voiced = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
    return VoicedAudio(voiced, tuple(regions), sample_rate, total)
