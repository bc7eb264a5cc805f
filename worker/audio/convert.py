"""Convert recordings to a spectrogram image dataset in the paper's layout.

`out_dir/<label>/<recording>_<segment:03d>.png` (palette PNGs: the colour map is the palette,
so they decode to exactly the rendered RGB) plus `out_dir/labels.csv` with one row per
image: path, label, speaker, recording, segment, start_s, end_s, source, and each item's
metadata. Recordings are spread over a process pool (one task per recording) so every core
works; the CSV is written in item order whatever order the pool finishes in.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from backend.audio_recipe import SpectrogramRecipe
from worker.audio.errors import AudioError
from worker.audio.items import AudioItem
from worker.audio.pipeline import render_recording

Progress = Callable[[int, int], None]
Row = dict[str, Any]
BASE_COLUMNS = ["path", "label", "speaker", "recording", "segment", "start_s", "end_s", "source"]
# zlib level 1: PNG encoding dominates a 1200x900 render; level 6 is ~3x slower, ~10% smaller.
PNG_COMPRESS_LEVEL = 1
CSV_NAME = "labels.csv"
BLAS_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class ConversionReport:
    csv_path: Path
    recordings: int = 0
    segments: int = 0
    audio_seconds: float = 0.0
    per_class: Counter[str] = field(default_factory=Counter)
    per_speaker: Counter[str] = field(default_factory=Counter)
    # Recordings that gave no image: unreadable (the message names the file) or no voiced part.
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RecordingOutcome:
    rows: list[Row]
    duration_s: float
    problem: str | None = None


def convert_one(item: AudioItem, recipe: SpectrogramRecipe, out_dir: Path) -> RecordingOutcome:
    """Render one recording's segments to PNG files (runs in a pool worker)."""
    try:
        rendered = render_recording(item.path, recipe, indexed=True)
    except AudioError as error:
        return RecordingOutcome([], 0.0, str(error))
    if not rendered.segments:
        return RecordingOutcome([], rendered.duration_s, f"{item.name}: no voiced segment kept")
    (out_dir / item.label).mkdir(parents=True, exist_ok=True)
    rows = []
    for segment, image in zip(rendered.segments, rendered.images, strict=True):
        relative = f"{item.label}/{item.recording}_{segment.index:03d}.png"
        image.save(out_dir / relative, compress_level=PNG_COMPRESS_LEVEL)
        rows.append(
            {
                "path": relative, "label": item.label, "speaker": item.speaker,
                "recording": item.recording, "segment": segment.index,
                "start_s": f"{segment.start_s:.4f}", "end_s": f"{segment.end_s:.4f}",
                "source": item.name, **item.metadata,
            }
        )  # fmt: skip
    return RecordingOutcome(rows, rendered.duration_s)


def check_unique(items: Sequence[AudioItem]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for item in items:
        key = (item.label, item.recording)
        if key in seen:
            raise ValueError(
                f"recording id {item.recording!r} of {item.name} is also that of {seen[key]}:"
                " their images would overwrite each other"
            )
        seen[key] = item.name


@contextmanager
def single_threaded_children() -> Iterator[None]:
    """Children spawned meanwhile run BLAS on one thread: one process per core already uses
    every core, and each process's own BLAS threads made 2 workers slower than 1 (measured)."""
    saved = {name: os.environ.get(name) for name in BLAS_THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(BLAS_THREAD_VARIABLES, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_outcomes(
    items: Sequence[AudioItem],
    recipe: SpectrogramRecipe,
    out_dir: Path,
    workers: int,
    progress: Progress | None,
) -> list[RecordingOutcome]:
    total = len(items)
    if workers <= 1 or total <= 1:
        outcomes = []
        for done, item in enumerate(items, 1):
            outcomes.append(convert_one(item, recipe, out_dir))
            if progress:
                progress(done, total)
        return outcomes
    # spawn, not fork: the caller may be a Celery worker with threads or Keras loaded.
    with ProcessPoolExecutor(min(workers, total), mp_context=get_context("spawn")) as pool:
        with single_threaded_children():  # children start during the first submits
            futures: dict[Future[RecordingOutcome], int] = {
                pool.submit(convert_one, item, recipe, out_dir): index
                for index, item in enumerate(items)
            }
        results: list[RecordingOutcome | None] = [None] * total
        for done, future in enumerate(as_completed(futures), 1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, total)
    return [r for r in results if r is not None]


def write_csv(path: Path, rows: list[Row]) -> None:
    extra = sorted({key for row in rows for key in row} - set(BASE_COLUMNS))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=BASE_COLUMNS + extra, restval="")
        writer.writeheader()
        writer.writerows(rows)


def convert_recordings(
    items: Sequence[AudioItem],
    recipe: SpectrogramRecipe,
    out_dir: str | Path,
    workers: int | None = None,
    progress: Progress | None = None,
) -> ConversionReport:
    """Render every item; progress(done, total) is called after each recording."""
    check_unique(items)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    outcomes = run_outcomes(items, recipe, out, workers or os.cpu_count() or 1, progress)
    report = ConversionReport(out / CSV_NAME, recordings=len(items))
    rows: list[Row] = []
    for item, outcome in zip(items, outcomes, strict=True):
        report.audio_seconds += outcome.duration_s
        if outcome.problem:
            report.skipped.append((item.name, outcome.problem))
        rows.extend(outcome.rows)
    for row in rows:
        report.per_class[row["label"]] += 1
        report.per_speaker[row["speaker"]] += 1
    report.segments = len(rows)
    write_csv(report.csv_path, rows)
    return report
