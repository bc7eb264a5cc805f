"""Loading, voice activity and segmentation on synthetic audio with known answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backend.audio_recipe import SegmentRecipe, VadRecipe
from tests.audio.synth import burst, write
from worker.audio.errors import AudioError
from worker.audio.io import load_audio
from worker.audio.segments import cut_segments, segment_bounds
from worker.audio.vad import VoicedAudio, keep_voiced

RATE = 16000


def test_load_resamples_and_mixes_stereo_to_mono(tmp_path: Path) -> None:
    mono = burst(48000, 0.2, 0.5, 0.3)
    stereo = np.stack([mono, mono], axis=1)
    audio = load_audio(write(tmp_path / "s.flac", stereo, 48000), RATE)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) == RATE  # 1.0 s at 16 kHz
    assert np.abs(audio).max() == pytest.approx(np.abs(mono).max(), rel=0.05)


def test_unreadable_and_empty_files_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....not audio")
    with pytest.raises(AudioError, match=r"broken\.wav: cannot read audio"):
        load_audio(broken, RATE)
    empty = write(tmp_path / "empty.wav", np.zeros(0, dtype=np.float32), RATE)
    with pytest.raises(AudioError, match=r"empty\.wav: the file holds no audio samples"):
        load_audio(empty, RATE)
    with pytest.raises(AudioError, match=r"missing\.ogg"):
        load_audio(tmp_path / "missing.ogg", RATE)


@pytest.mark.parametrize("method", ["webrtc", "energy"])
@pytest.mark.parametrize("rate", [16000, 22050])
def test_vad_keeps_the_burst_and_drops_the_silence(method: str, rate: int) -> None:
    audio = burst(rate, 1.0, 1.2, 0.8)
    vad = VadRecipe(method=method, padding_ms=0, min_voiced_ms=60)  # type: ignore[arg-type]
    voiced = keep_voiced(audio, rate, vad)
    assert len(voiced.regions) == 1
    start, stop = voiced.regions[0]
    # Frame-granular: within two 30 ms frames of the burst's true edges, except that WebRTC
    # holds "speech" a few frames after it stops (its hangover), so the end may run later.
    late = 0.15 if method == "webrtc" else 0.06
    assert abs(start / rate - 1.0) <= 0.06 and -0.06 <= stop / rate - 2.2 <= late
    assert voiced.kept_fraction == pytest.approx((stop - start) / len(audio))
    assert 1.1 / 3.0 <= voiced.kept_fraction <= 1.4 / 3.0


def test_vad_padding_widens_and_merges_and_silence_keeps_nothing() -> None:
    audio = np.concatenate([burst(RATE, 0.5, 0.3, 0.1), burst(RATE, 0.1, 0.3, 0.5)])
    padded = keep_voiced(audio, RATE, VadRecipe(padding_ms=150))
    assert len(padded.regions) == 1  # the 0.2 s gap is bridged by 2 x 150 ms of padding
    silent = keep_voiced(np.zeros(RATE, dtype=np.float32), RATE, VadRecipe())
    assert silent.regions == () and len(silent.audio) == 0 and silent.kept_fraction == 0


@pytest.mark.parametrize(
    ("seconds", "length", "hop", "shortest", "expected"),
    [
        (3.0, 1.0, 0.5, 0.5, 5),  # 0-1 .. 2-3 full, no tail
        (3.2, 1.0, 1.0, 0.2, 4),  # 3 full + a 0.2 s tail
        (3.1, 1.0, 1.0, 0.2, 3),  # the 0.1 s tail is dropped
        (1.0, 0.03, 0.03, 0.03, 33),  # the paper's 30 ms segments
        (0.4, 1.0, 0.5, 0.5, 0),  # too short for anything
    ],
)
def test_segment_counts_and_lengths_are_exact(
    seconds: float, length: float, hop: float, shortest: float, expected: int
) -> None:
    recipe = SegmentRecipe(length_s=length, hop_s=hop, min_length_s=shortest)
    bounds = segment_bounds(round(seconds * RATE), RATE, recipe)
    assert len(bounds) == expected
    full = [stop - start for start, stop in bounds if stop - start == round(length * RATE)]
    assert len(full) >= expected - 1
    assert all(b[0] == i * round(hop * RATE) for i, b in enumerate(bounds))


def test_whole_utterance_and_source_times_skip_removed_pauses() -> None:
    audio = np.ones(3 * RATE, dtype=np.float32)
    voiced = VoicedAudio(audio[: 2 * RATE], ((0, RATE), (2 * RATE, 3 * RATE)), RATE, 3 * RATE)
    whole = cut_segments(voiced, SegmentRecipe(length_s=None, min_length_s=0.0))
    assert [(s.start_s, s.end_s) for s in whole] == [(0.0, 3.0)]
    halves = cut_segments(voiced, SegmentRecipe(length_s=1.0, hop_s=1.0))
    assert [(s.start_s, s.end_s) for s in halves] == [(0.0, 1.0), (2.0, 3.0)]
