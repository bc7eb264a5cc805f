"""Read any audio file libsndfile can decode into float32 mono at one sample rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from worker.audio.errors import AudioError


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    if from_rate == to_rate:
        return audio.astype(np.float32, copy=False)
    # soxr's default high quality is band-limited and ~50x faster than an FFT resample.
    return np.asarray(soxr.resample(audio, from_rate, to_rate), dtype=np.float32)


def load_audio(path: str | Path, sample_rate: int) -> np.ndarray:
    """The file as float32 mono in [-1, 1] at `sample_rate`; AudioError names the file."""
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, OSError) as error:
        raise AudioError(f"{path}: cannot read audio ({error})") from None
    if data.size == 0:
        raise AudioError(f"{path}: the file holds no audio samples")
    # Mixing down by the mean keeps the level of a stereo file whose channels agree.
    mono = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return resample(np.ascontiguousarray(mono), int(rate), sample_rate)
