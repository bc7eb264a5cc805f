"""Segment -> power spectrogram -> (mel) -> dB with a floor -> colour image, with no axes.

Everything in numpy, so a pool worker renders one second of audio in about a millisecond plus
the PNG encoding; a matplotlib figure per image costs several times that (STACK-NOTES).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image

from backend.audio_recipe import SpectrogramRecipe
from worker.audio.colormaps import colour_table

EPS = 1e-10


def window(name: str, size: int) -> np.ndarray:
    # Periodic windows (as in librosa/scipy for spectral analysis): they tile exactly under hop.
    n = np.arange(size)
    phase = 2 * np.pi * n / size
    if name == "hann":
        return 0.5 - 0.5 * np.cos(phase)
    if name == "hamming":
        return 0.54 - 0.46 * np.cos(phase)
    if name == "blackman":
        return 0.42 - 0.5 * np.cos(phase) + 0.08 * np.cos(2 * phase)
    return np.ones(size)


def power_spectrogram(audio: np.ndarray, n_fft: int, hop: int, window_name: str) -> np.ndarray:
    """|STFT|^2, shape (n_fft // 2 + 1, frames); frames are centred (zero padding at both ends)
    so a segment shorter than n_fft (the paper's 30 ms) still gives one frame."""
    padded = np.pad(audio.astype(np.float64), (n_fft // 2, n_fft // 2))
    if len(padded) < n_fft:
        padded = np.pad(padded, (0, n_fft - len(padded)))
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop]
    spectrum = np.fft.rfft(frames * window(window_name, n_fft), axis=1)
    return (np.abs(spectrum) ** 2).T


def hz_to_mel(hz: np.ndarray | float, htk: bool = False) -> np.ndarray:
    hz = np.asarray(hz, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + hz / 700.0)
    # Slaney: linear below 1 kHz, logarithmic above (as librosa's default).
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    linear = hz / f_sp
    logged = min_log_mel + np.log(np.maximum(hz, min_log_hz) / min_log_hz) / logstep
    return np.where(hz >= min_log_hz, logged, linear)


def mel_to_hz(mel: np.ndarray | float, htk: bool = False) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    logged = min_log_hz * np.exp(logstep * (mel - min_log_mel))
    return np.where(mel >= min_log_mel, logged, f_sp * mel)


@lru_cache(maxsize=16)
def mel_filterbank(
    sample_rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float, htk: bool = False
) -> np.ndarray:
    """(n_mels, n_fft // 2 + 1) triangular filters, Slaney-normalised to unit area in Hz so a
    band's level does not depend on its width."""
    bins = np.linspace(0, sample_rate / 2, n_fft // 2 + 1)
    edges = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    widths = np.diff(edges)
    ramps = edges[:, None] - bins[None, :]
    rising = -ramps[:-2] / widths[:-1, None]
    falling = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(rising, falling))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    weights.setflags(write=False)  # cached and shared: nobody may scale it in place
    return weights


def levels(audio: np.ndarray, recipe: SpectrogramRecipe) -> np.ndarray:
    """Normalised dB levels in [0, 1], low frequencies first, shape (bands, frames)."""
    power = power_spectrogram(audio, recipe.stft.n_fft, recipe.stft.hop_length, recipe.stft.window)
    bins = np.linspace(0, recipe.sample_rate / 2, power.shape[0])
    if recipe.scale == "mel":
        bank = mel_filterbank(
            recipe.sample_rate, recipe.stft.n_fft, recipe.n_mels, recipe.fmin, recipe.max_frequency
        )
        power = bank @ power
    else:
        power = power[(bins >= recipe.fmin) & (bins <= recipe.max_frequency)]
    db = 10.0 * np.log10(np.maximum(power, EPS))
    # Relative to the segment's loudest bin, so recording level does not change the image.
    floor = db.max() - recipe.top_db
    normalised: np.ndarray = np.clip((db - floor) / recipe.top_db, 0.0, 1.0)
    return normalised


def render_indexed(audio: np.ndarray, recipe: SpectrogramRecipe) -> Image.Image:
    """The segment's image at the recipe's size as mode P (the colour map as its palette), or
    mode L for the gray map. Every pixel is a map colour, so P is lossless; as a PNG it encodes
    ~8x faster and half as large as RGB, and any reader decodes it to the same RGB pixels."""
    grey = np.round(levels(audio, recipe)[::-1] * 255).astype(np.uint8)  # high bands on top
    # Resize levels, not colours: interpolated colours would fall off the map.
    image = Image.fromarray(grey, mode="L").resize(
        (recipe.width, recipe.height), Image.Resampling.BILINEAR
    )
    if recipe.colormap == "gray":
        return image
    indexed = Image.frombytes("P", image.size, image.tobytes())
    indexed.putpalette(colour_table(recipe.colormap).tobytes())
    return indexed


def render(audio: np.ndarray, recipe: SpectrogramRecipe) -> Image.Image:
    """The segment's image at the recipe's size: RGB, or mode L for the gray colour map."""
    image = render_indexed(audio, recipe)
    return image.convert("RGB") if image.mode == "P" else image
