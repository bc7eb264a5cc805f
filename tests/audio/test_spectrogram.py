from __future__ import annotations

import numpy as np
import pytest

from backend.audio_recipe import SpectrogramRecipe, StftRecipe
from tests.audio.synth import burst
from worker.audio.colormaps import colour_table
from worker.audio.spectrogram import (
    hz_to_mel,
    levels,
    mel_filterbank,
    mel_to_hz,
    power_spectrogram,
    render,
)

RATE = 16000


@pytest.mark.parametrize("htk", [False, True])
def test_mel_scale_round_trips_and_has_its_anchor_points(htk: bool) -> None:
    hz = np.array([0.0, 500.0, 1000.0, 4000.0, 8000.0])
    assert mel_to_hz(hz_to_mel(hz, htk), htk) == pytest.approx(hz)
    if htk:
        assert hz_to_mel(700.0, htk=True) == pytest.approx(2595 * np.log10(2))
    else:
        assert hz_to_mel(1000.0) == pytest.approx(15.0)  # Slaney: 1 kHz is mel 15


def test_mel_filterbank_shape_and_unit_area_rows() -> None:
    bank = mel_filterbank(RATE, 2048, 40, 0.0, 8000.0)
    assert bank.shape == (40, 1025)
    assert (bank >= 0).all() and (bank.sum(axis=1) > 0).all()
    # Slaney normalisation: each triangle has unit area in Hz.
    areas = bank.sum(axis=1) * (RATE / 2048)
    assert areas == pytest.approx(np.ones(40), abs=0.1)
    peaks = np.argmax(bank, axis=1)
    assert (np.diff(peaks) > 0).all()  # bands rise in frequency
    htk = mel_filterbank(RATE, 2048, 40, 0.0, 8000.0, htk=True)
    assert htk.shape == (40, 1025) and not np.allclose(htk, bank)


def test_power_spectrogram_finds_a_tone_and_handles_a_30ms_segment() -> None:
    t = np.arange(RATE) / RATE
    power = power_spectrogram(np.sin(2 * np.pi * 1000 * t), 512, 160, "hann")
    assert power.shape == (257, RATE // 160 + 1)
    assert np.argmax(power.mean(axis=1)) == 32  # 1000 Hz / (16000 / 512) per bin
    short = power_spectrogram(np.ones(480), 512, 160, "hann")
    assert short.shape[0] == 257 and short.shape[1] >= 1


def test_linear_levels_put_the_tone_at_its_band_with_the_db_floor() -> None:
    t = np.arange(RATE) / RATE
    recipe = SpectrogramRecipe(scale="linear", top_db=60, fmax=4000)
    grid = levels(np.sin(2 * np.pi * 1000 * t).astype(np.float32), recipe)
    assert grid.shape[0] == 129  # bins 0 .. 4000 Hz
    assert grid.min() >= 0 and grid.max() == 1.0
    assert np.argmax(grid.mean(axis=1)) == 32


@pytest.mark.parametrize(
    ("colormap", "mode", "size"),
    [("viridis", "RGB", (1200, 900)), ("magma", "RGB", (320, 240)), ("gray", "L", (64, 48))],
)
def test_image_has_the_recipes_size_and_mode(
    colormap: str, mode: str, size: tuple[int, int]
) -> None:
    recipe = SpectrogramRecipe(colormap=colormap, width=size[0], height=size[1])  # type: ignore[arg-type]
    image = render(burst(RATE, 0.1, 0.5, 0.1), recipe)
    assert (image.mode, image.size) == (mode, size)
    if mode == "RGB":  # every pixel is a colour of the map: no axes, ticks or colour bar
        table = {tuple(c) for c in colour_table(colormap)}
        assert {tuple(p) for p in np.asarray(image).reshape(-1, 3)} <= table


def test_render_of_the_papers_shortest_segment_and_of_silence() -> None:
    recipe = SpectrogramRecipe(stft=StftRecipe(n_fft=512, hop_length=160), width=100, height=80)
    assert render(burst(RATE, 0.0, 0.03, 0.0), recipe).size == (100, 80)
    silent = np.asarray(render(np.zeros(RATE, dtype=np.float32), recipe))
    assert (silent == silent[0, 0]).all()  # flat: no division by zero, no noise invented


def test_colour_tables_run_dark_to_light() -> None:
    for name in ("viridis", "magma", "gray"):
        table = colour_table(name).astype(int)
        assert table.shape == (256, 3)
        assert table[-1].sum() > table[0].sum() + 300
