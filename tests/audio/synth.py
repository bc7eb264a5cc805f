"""Synthetic audio whose answers are known: a voiced-like burst with silence around it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf


def burst(sample_rate: int, before_s: float, burst_s: float, after_s: float) -> np.ndarray:
    """Silence, then a 150 Hz harmonic tone (speech-like enough for WebRTC VAD), then silence."""
    t = np.arange(round(burst_s * sample_rate)) / sample_rate
    tone = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 12))
    tone = 0.3 * tone / np.abs(tone).max() * (1 + 0.3 * np.sin(2 * np.pi * 4 * t))
    quiet = np.random.default_rng(0).normal(0, 1e-4, round((before_s + after_s) * sample_rate))
    cut = round(before_s * sample_rate)
    return np.concatenate([quiet[:cut], tone, quiet[cut:]]).astype(np.float32)


def write(path: Path, audio: np.ndarray, sample_rate: int) -> Path:
    sf.write(str(path), audio, sample_rate, subtype="PCM_16")
    return path
