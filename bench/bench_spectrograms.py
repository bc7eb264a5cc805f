"""Speech -> spectrogram dataset throughput, in seconds of audio per wall second.

dlstudio: `convert_recordings` with the default recipe (16 kHz, WebRTC VAD, 1 s segments every
0.5 s, 128-band mel, viridis, 1200x900 PNG) over a process pool on all cores; also on one core,
to separate the per-image gain from the parallel one. Baseline, in the same run on the same
recordings: a naive loop, as a notebook would do it: soundfile load, numpy STFT in dB, and each
1 s window (every 0.5 s, no VAD) drawn through a 12x9 inch matplotlib figure at 100 dpi with
the axes hidden. Needs ../shared/data/ravdess-dev; matplotlib only for the baseline. Run:
    .venv/bin/python bench/bench_spectrograms.py [--recordings 60] (0 = the whole set)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RAVDESS = ROOT.parent / "shared" / "data" / "ravdess-dev"

from backend.audio_recipe import SpectrogramRecipe  # noqa: E402
from worker.audio.convert import convert_recordings  # noqa: E402
from worker.audio.corpora import scan_folder  # noqa: E402
from worker.audio.items import AudioItem  # noqa: E402


def pick(items: list[AudioItem], count: int) -> list[AudioItem]:
    """Every k-th recording, so a subset spans all actors and classes."""
    if count <= 0 or count >= len(items):
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def naive_image(window: np.ndarray, path: Path) -> None:
    import matplotlib.pyplot as plt

    frames = np.lib.stride_tricks.sliding_window_view(window, 2048)[::480]
    power = np.abs(np.fft.rfft(frames * np.hanning(2048), axis=1)) ** 2
    db = 10 * np.log10(np.maximum(power.T, 1e-10))
    figure = plt.figure(figsize=(12, 9), dpi=100)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.imshow(db, origin="lower", aspect="auto", cmap="viridis", vmin=db.max() - 80)
    axes.axis("off")
    figure.savefig(path)
    plt.close(figure)


def baseline(items: list[AudioItem], out: Path) -> tuple[float, int]:
    import matplotlib

    matplotlib.use("Agg")
    images, started = 0, time.perf_counter()
    for item in items:
        audio, rate = sf.read(str(item.path), dtype="float32")
        for start in range(0, len(audio) - rate + 1, rate // 2):
            naive_image(audio[start : start + rate], out / f"{item.recording}_{images}.png")
            images += 1
    return time.perf_counter() - started, images


def ours(items: list[AudioItem], out: Path, workers: int) -> tuple[float, int, float]:
    started = time.perf_counter()
    report = convert_recordings(items, SpectrogramRecipe(), out, workers=workers)
    return time.perf_counter() - started, report.segments, report.audio_seconds


def line(name: str, seconds: float, images: int, audio_s: float) -> str:
    return (
        f"{name:<34} {audio_s / seconds:6.1f} s audio/s  {images:4d} images"
        f"  {1000 * seconds / images:6.1f} ms/image  ({seconds:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recordings", type=int, default=60)
    args = parser.parse_args()
    if not (RAVDESS / "labels.csv").is_file():
        print(f"skipped: {RAVDESS} is absent (see shared/data/README.md)")
        return
    items = pick(scan_folder(RAVDESS).items, args.recordings)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        pooled, images, audio_s = ours(items, tmp / "pool", cores)
        single, _, _ = ours(items, tmp / "one", 1)
        print(f"RAVDESS recordings: {len(items)}, {audio_s:.1f} s of audio, {cores} cores")
        print(line(f"dlstudio convert_recordings x{cores}", pooled, images, audio_s))
        print(line("dlstudio convert_recordings x1", single, images, audio_s))
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print("baseline skipped: matplotlib is not installed (pip install matplotlib)")
            return
        naive, naive_images = baseline(items, tmp)
    print(line("baseline numpy + matplotlib loop", naive, naive_images, audio_s))
    print(f"ratio (audio seconds per wall second): {naive / pooled:.1f}x all cores, "
          f"{naive / single:.1f}x one core")  # fmt: skip


if __name__ == "__main__":
    main()
